package io.github.apikey.core.domain;

import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.KeyExpiredException;
import io.github.apikey.core.error.KeyInactiveException;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.github.apikey.core.testing.TestKeys.T0;
import static io.github.apikey.core.testing.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyTest {

    @Test
    void activeKeyWithoutExpiryCanAuthenticate() {
        assertThatCode(() -> key("k").build().ensureCanAuthenticate(T0.plus(Duration.ofDays(3650))))
                .doesNotThrowAnyException();
    }

    @Test
    void disabledKeyCannotAuthenticateUntilEnabled() {
        ApiKey key = key("k").build();

        key.disable();
        assertThat(key.isActive()).isFalse();
        assertThatThrownBy(() -> key.ensureCanAuthenticate(T0))
                .isInstanceOf(KeyInactiveException.class).hasMessage("API key inactive");

        key.enable();
        assertThatCode(() -> key.ensureCanAuthenticate(T0)).doesNotThrowAnyException();
    }

    @Test
    void keyExpiresAtTheInstantOfItsExpiry() {
        ApiKey key = key("k").expiresAt(T0).build();

        assertThatCode(() -> key.ensureCanAuthenticate(T0.minusNanos(1000))).doesNotThrowAnyException();
        assertThat(key.isExpiredAt(T0)).isTrue();
        assertThatThrownBy(() -> key.ensureCanAuthenticate(T0))
                .isInstanceOf(KeyExpiredException.class).hasMessage("API key expired");
    }

    @Test
    void inactiveIsReportedBeforeExpired() {
        ApiKey key = key("k").active(false).expiresAt(T0).build();

        assertThatThrownBy(() -> key.ensureCanAuthenticate(T0.plusSeconds(1))).isInstanceOf(KeyInactiveException.class);
    }

    @Test
    void ensureScopesAcceptsWhenEveryRequiredScopeIsHeld() {
        ApiKey key = key("k").scopes(List.of("read", "write")).build();

        assertThatCode(() -> key.ensureScopes(List.of("write", "read"))).doesNotThrowAnyException();
        assertThatCode(() -> key.ensureScopes(List.of())).doesNotThrowAnyException();
        assertThatCode(() -> key.ensureScopes(null)).doesNotThrowAnyException();
    }

    @Test
    void ensureScopesNamesEveryMissingScopeOnceInRequiredOrder() {
        ApiKey key = key("k").scopes(List.of("read")).build();

        assertThatThrownBy(() -> key.ensureScopes(List.of("write", "read", "admin", "write")))
                .isInstanceOfSatisfying(InsufficientScopesException.class, e ->
                        assertThat(e.getMissingScopes()).containsExactly("write", "admin"))
                .hasMessage("API key missing required scopes 'write', 'admin'");
    }

    @Test
    void recordUseOnlyMovesForward() {
        ApiKey key = key("k").build();

        key.recordUse(T0.plusSeconds(10));
        key.recordUse(T0.plusSeconds(5));

        assertThat(key.getLastUsedAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void scopesAreAnUnmodifiableSnapshotInGrantOrder() {
        List<String> granted = new ArrayList<>(List.of("write", "read", "write"));
        ApiKey key = key("k").scopes(granted).build();
        granted.add("admin");

        assertThat(key.getScopes()).containsExactly("write", "read");
        assertThat(key.hasScope("read")).isTrue();
        assertThatThrownBy(() -> key.getScopes().add("admin")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copiesAreIndependentAndEqualById() {
        ApiKey key = key("k").scopes(Set.of("read")).build();
        ApiKey copy = key.copy();
        copy.setName("renamed");
        copy.disable();

        assertThat(key.getName()).isEqualTo("k");
        assertThat(key.isActive()).isTrue();
        assertThat(copy).isEqualTo(key).hasSameHashCodeAs(key);
    }

    @Test
    void toStringShowsNeitherHashNorSecretCharacters() {
        ApiKey key = key("k").secretFirst("AbCd").secretLast("WxYz").build();

        assertThat(key.toString())
                .contains(key.getKeyId(), "k")
                .doesNotContain(key.getKeyHash(), "AbCd", "WxYz");
        assertThat(key.toBuilder().toString()).doesNotContain(key.getKeyHash(), "AbCd", "WxYz");
    }
}
