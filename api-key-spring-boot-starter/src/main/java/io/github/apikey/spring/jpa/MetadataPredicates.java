package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.KeyMetadata;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Predicate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.H2Dialect;
import org.hibernate.dialect.MySQLDialect;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.query.criteria.HibernateCriteriaBuilder;
import org.hibernate.query.sqm.NodeBuilder;

/**
 * "Top-level metadata value {@code name} has the text {@code value}" as SQL of the database at hand, with the
 * semantics of {@code ApiKeyFilter.matches}: a string compares as itself, a number as its JSON literal, a boolean as
 * {@code true} or {@code false}; objects, lists, JSON {@code null} and missing names match nothing.
 *
 * <p>Hibernate's own {@code json_value} is not used: its H2 emulation cannot address a name with a dot, on
 * PostgreSQL it reads through {@code jsonb} (which rewrites numbers such as {@code 1.0E-5}), and on MariaDB it
 * gives {@code 1} for {@code true}. Instead, per database:
 * <ul>
 * <li>PostgreSQL: {@code json_extract_path_text} on the text cast to {@code json} (not {@code jsonb}, which keeps
 * numbers as written), with the name as a bound parameter: no JSON path is parsed at all;
 * <li>MariaDB and MySQL: {@code JSON_UNQUOTE(JSON_EXTRACT(...))} with a bound path {@code $."name"}, the name a
 * JSON string literal inside it, so that dots, quotes and wildcards in it are plain characters; compared in a
 * binary collation, as on the other databases. MariaDB compares a quoted path member with the member names as
 * they are written in the document, escapes and all, so the name is escaped exactly as
 * {@link KeyMetadata#toJson} escapes it when it writes the column;
 * <li>H2: its JSON member access {@code (metadata FORMAT JSON)."name"}, the name a quoted SQL identifier (its
 * quotes doubled; H2 has no function that takes the name as a value). H2 writes numbers back in its own form
 * ({@code 1.0E-5} as {@code 0.000010}), so a criterion that is a JSON number is compared in that form, and found
 * as written in the stored text.
 * </ul>
 */
final class MetadataPredicates {

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private MetadataPredicates() {
    }

    static Predicate equal(CriteriaBuilder cb, Expression<String> metadata, String name, String value) {
        if (name.isEmpty()) {
            // No stored key has an empty name (the core refuses one), and H2 has no empty identifier.
            return cb.disjunction();
        }
        HibernateCriteriaBuilder hcb = (HibernateCriteriaBuilder) cb;
        Dialect dialect = dialect(cb);
        if (dialect instanceof PostgreSQLDialect) {
            return cb.equal(hcb.sql("case when json_typeof(json_extract_path(cast(? as json), ?)) "
                            + "in ('string', 'number', 'boolean') and json_extract_path_text(cast(? as json), ?) = ? "
                            + "then 1 else 0 end", Integer.class,
                    metadata, cb.literal(name), metadata, cb.literal(name), cb.literal(value)), 1);
        }
        if (dialect instanceof MySQLDialect) {
            String path = "$." + storedName(name);
            return cb.equal(hcb.sql("case when json_type(json_extract(?, ?)) not in ('OBJECT', 'ARRAY', 'NULL') "
                            + "and json_unquote(json_extract(?, ?)) = convert(? using utf8mb4) collate utf8mb4_bin "
                            + "then 1 else 0 end", Integer.class,
                    metadata, cb.literal(path), metadata, cb.literal(path), cb.literal(value)), 1);
        }
        if (dialect instanceof H2Dialect) {
            return h2(cb, hcb, metadata, name, value);
        }
        throw new UnsupportedOperationException("Filtering keys by metadata is supported on PostgreSQL, MariaDB, "
                + "MySQL and H2, not on " + dialect.getClass().getSimpleName());
    }

    /**
     * The member's JSON text is {@code "..."} for a string, decoded with {@code STRINGDECODE} (H2 escapes only what
     * JSON requires, in the Java escapes it decodes); {@code true}/{@code false} for a boolean; H2's form of the
     * number for a number. The member access is its own SQL fragment with the column as its only argument, so that
     * a {@code ?} in the name is never taken for an argument's placeholder.
     */
    private static Predicate h2(CriteriaBuilder cb, HibernateCriteriaBuilder hcb, Expression<String> metadata,
                                String name, String value) {
        Expression<String> member = hcb.sql("cast((? format json)." + h2Identifier(name) + " as varchar)",
                String.class, metadata);
        List<Predicate> alternatives = new ArrayList<>();
        alternatives.add(cb.equal(hcb.sql("case when left(?, 1) = '\"' "
                        + "and stringdecode(substring(?, 2, char_length(?) - 2)) = ? then 1 else 0 end",
                Integer.class, member, member, member, cb.literal(value)), 1));
        if (value.equals("true") || value.equals("false")) {
            alternatives.add(cb.equal(member, value));
        }
        if (JSON_NUMBER.matcher(value).matches()) {
            // H2's form of the number says the value is equal, not that it was written as the criterion: 1.0E-5
            // and 0.000010 are both 0.000010 there. The stored text (compact, as KeyMetadata.toJson writes it)
            // must also hold the criterion as a member's literal. The criterion is digits, signs, a dot and an
            // exponent only, nothing LIKE would take for a wildcard.
            alternatives.add(cb.and(cb.equal(member, h2Number(value)),
                    cb.or(cb.like(metadata, "%:" + value + ",%"), cb.like(metadata, "%:" + value + "}%"))));
        }
        return cb.or(alternatives.toArray(Predicate[]::new));
    }

    /** {@code name} as a quoted JSON string, escaped as {@link KeyMetadata#toJson} writes it into the column. */
    static String storedName(String name) {
        String member = KeyMetadata.toJson(Collections.singletonMap(name, null));
        return member.substring(1, member.length() - ":null}".length());
    }

    /** A double-quoted identifier: any text, its double quotes doubled, cannot end the identifier early. */
    static String h2Identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** How H2 writes a JSON number back: {@link BigDecimal#toString()} without the plus of a positive exponent. */
    static String h2Number(String literal) {
        return new BigDecimal(literal).toString().replace("E+", "E");
    }

    private static Dialect dialect(CriteriaBuilder cb) {
        if (cb instanceof NodeBuilder nodeBuilder) {
            return nodeBuilder.getQueryEngine().getDialect();
        }
        throw new UnsupportedOperationException("Filtering keys by metadata needs Hibernate, not "
                + cb.getClass().getName());
    }
}
