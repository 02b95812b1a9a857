package io.github.apikey.core.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IP ranges, origins, metadata and refill periods: the values restrictions and credits are made of. */
class RestrictionValuesTest {

    @ParameterizedTest
    @CsvSource({
            "203.0.113.0/24, 203.0.113.255, true",
            "203.0.113.0/24, 203.0.114.0, false",
            "10.1.2.3/8, 10.255.0.1, true",
            "0.0.0.0/0, 192.0.2.1, true",
            "198.51.100.7, 198.51.100.7, true",
            "198.51.100.7, 198.51.100.8, false",
            "2001:db8::/32, 2001:db8:ffff::1, true",
            "2001:db8::/32, 2001:db9::1, false",
            "[::1], ::1, true",
            "203.0.113.0/24, ::ffff:203.0.113.9, true",
            "2001:db8::/32, 203.0.113.1, false",
            "203.0.113.0/24, 2001:db8::1, false"})
    void rangesContainExactlyTheirAddresses(String cidr, String address, boolean contained) {
        assertThat(IpRange.parse(cidr).contains(IpRange.parseAddress(address))).isEqualTo(contained);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "256.1.1.1", "1.2.3", "10.0.0.0/33", "::/129",
            "10.0.0.0/-1", "10.0.0.0/", "1.2.3.4/8/8", "2001:db8::g", "1.2.3.4 5", "01.2.3.4.5"})
    void rangesAreOnlyAddressLiterals(String text) {
        assertThatThrownBy(() -> IpRange.parse(text)).isInstanceOf(IllegalArgumentException.class);
        if (!text.contains("/")) {
            assertThat(IpRange.parseAddress(text)).isNull();
        }
    }

    @Test
    void rangesPrintCanonicallyWithHostBitsCleared() {
        assertThat(IpRange.parse(" 10.1.2.3/8 ")).hasToString("10.0.0.0/8").isEqualTo(IpRange.parse("10.0.0.0/8"));
        assertThat(IpRange.parse("198.51.100.7")).hasToString("198.51.100.7/32");
        assertThat(IpRange.parse("2001:DB8::1/32").toString()).endsWith("/32").startsWith("2001:db8:");
        assertThat(IpRange.parse("10.0.0.0/8").contains(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "https://App.Example.COM, https://app.example.com",
            "https://app.example.com:443, https://app.example.com",
            "http://localhost:80, http://localhost",
            "http://localhost:8080, http://localhost:8080",
            "HTTPS://a.example, https://a.example"})
    void originsAreComparedSerialized(String origin, String serialized) {
        assertThat(Origins.normalize(origin)).isEqualTo(serialized);
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "", "app.example.com", "ftp://a.example", "https://a.example/",
            "https://a.example/x", "https://user@a.example", "https://a.example?q", "https://a.example#f",
            "https://", "file:///etc/passwd", "https://a example"})
    void onlyHttpOriginsWithoutPathsAreOrigins(String origin) {
        assertThat(Origins.normalize(origin)).isNull();
    }

    @Test
    void metadataIsWrittenAsCompactJsonInItsOrder() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("b", "q\"uote\\\n\u0001");
        metadata.put("a", List.of(1, 2.5, true, new BigDecimal("1.10")));
        metadata.put("n", null);
        metadata.put("o", Map.of("x", 1L));

        assertThat(KeyMetadata.toJson(metadata))
                .isEqualTo("{\"b\":\"q\\\"uote\\\\\\n\\u0001\",\"a\":[1,2.5,true,1.10],\"n\":null,\"o\":{\"x\":1}}");
        assertThat(KeyMetadata.toJson(Map.of())).isEqualTo("{}");
    }

    @Test
    void metadataCopiesAreDeepAndImmutable() {
        List<Object> list = new ArrayList<>(List.of("a"));
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("list", list);

        Map<String, Object> copy = KeyMetadata.copyOf(source);
        list.add("b");

        assertThat(copy).isEqualTo(Map.of("list", List.of("a")));
        assertThatThrownBy(() -> copy.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> KeyMetadata.copyOf(Map.of("d", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyMetadata.copyOf(Map.of("t", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyMetadata.copyOf(Map.of("arr", new int[] {1})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scalarTextIsWhatFiltersCompare() {
        assertThat(Arrays.asList(KeyMetadata.scalarText("gold"), KeyMetadata.scalarText(5),
                KeyMetadata.scalarText(0.5), KeyMetadata.scalarText(true), KeyMetadata.scalarText(null),
                KeyMetadata.scalarText(List.of()), KeyMetadata.scalarText(Map.of())))
                .containsExactly("gold", "5", "0.5", "true", null, null, null);
    }

    @Test
    void refillPeriodsStartAtMidnightUtc() {
        Instant now = Instant.parse("2026-02-28T23:59:59Z");
        assertThat(CreditRefill.Interval.DAILY.periodStart(now)).isEqualTo(Instant.parse("2026-02-28T00:00:00Z"));
        assertThat(CreditRefill.Interval.DAILY.nextPeriodStart(now)).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(CreditRefill.Interval.MONTHLY.periodStart(now)).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(CreditRefill.Interval.MONTHLY.nextPeriodStart(now))
                .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        CreditRefill daily = new CreditRefill(5, CreditRefill.Interval.DAILY);
        assertThat(daily.isDue(null, now)).isTrue();
        assertThat(daily.isDue(Instant.parse("2026-02-28T00:00:00Z"), now)).isFalse();
        assertThat(daily.isDue(Instant.parse("2026-02-27T23:59:59Z"), now)).isTrue();
    }
}
