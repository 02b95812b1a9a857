package io.github.apikey.spring.security;

import io.github.apikey.core.error.ApiKeyErrorCode;
import io.github.apikey.core.error.ApiKeyException;
import io.github.apikey.core.format.ApiKeyFormat;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyAuthenticationConverterTests {

    private final ApiKeyFormat format = new ApiKeyFormat();
    private final String key = format.format(format.newKeyId(), format.newSecret());
    private final ApiKeyAuthenticationConverter bearerOnly = new ApiKeyAuthenticationConverter(format, null);
    private final ApiKeyAuthenticationConverter withHeader = new ApiKeyAuthenticationConverter(format, "X-API-Key");

    @Test
    void readsBearerKeysWhateverTheSchemesCase() {
        for (String scheme : new String[] {"Bearer", "bearer", "BEARER"}) {
            MockHttpServletRequest request = new MockHttpServletRequest();
            request.addHeader(HttpHeaders.AUTHORIZATION, scheme + " " + key);
            assertThat(bearerOnly.convert(request).getCredentials()).isEqualTo(key);
        }
    }

    @Test
    void ignoresOtherSchemesForeignTokensAndTheQueryString() {
        for (String authorization : new String[] {"Basic YWxpY2U6c2VjcmV0", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig",
                "Bearer", "Bearer ", "Bearerak_v1-x", "Token " + key}) {
            MockHttpServletRequest request = new MockHttpServletRequest();
            request.addHeader(HttpHeaders.AUTHORIZATION, authorization);
            assertThat(bearerOnly.convert(request)).as(authorization).isNull();
        }
        MockHttpServletRequest query = new MockHttpServletRequest();
        query.setParameter("api_key", key);
        query.setQueryString("api_key=" + key);
        assertThat(withHeader.convert(query)).isNull();
    }

    @Test
    void theDedicatedHeaderIsReadOnlyWhenConfigured() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("X-API-Key", " " + key + " ");

        assertThat(bearerOnly.convert(request)).isNull();
        assertThat(withHeader.convert(request).getCredentials()).isEqualTo(key);
        assertThat(withHeader.carriesKey(request)).isTrue();
    }

    @Test
    void moreThanOneKeyIsRefused() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key);
        request.addHeader("X-API-Key", key);

        assertThatThrownBy(() -> withHeader.convert(request)).isExactlyInstanceOf(BadCredentialsException.class)
                .cause().isInstanceOfSatisfying(ApiKeyException.class,
                        refused -> assertThat(refused.getCode()).isEqualTo(ApiKeyErrorCode.INVALID));
        assertThat(withHeader.carriesKey(request)).isTrue();
    }

    @Test
    void tellsOtherBearerTokensApartFromKeys() {
        MockHttpServletRequest jwt = new MockHttpServletRequest();
        jwt.addHeader(HttpHeaders.AUTHORIZATION, "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig");
        MockHttpServletRequest keyed = new MockHttpServletRequest();
        keyed.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key);

        assertThat(bearerOnly.otherBearerToken(jwt)).isEqualTo("eyJhbGciOiJSUzI1NiJ9.e30.sig");
        assertThat(bearerOnly.otherBearerToken(keyed)).isNull();
        assertThat(bearerOnly.otherBearerToken(new MockHttpServletRequest())).isNull();
    }

    @Test
    void asksForTheFormatOnlyWhenARequestComes() {
        AtomicInteger asked = new AtomicInteger();
        ApiKeyAuthenticationConverter lazy = new ApiKeyAuthenticationConverter(() -> {
            asked.incrementAndGet();
            return format;
        }, null);
        assertThat(asked).hasValue(0);

        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key);
        assertThat(lazy.convert(request).getCredentials()).isEqualTo(key);
        assertThat(asked).hasValue(1);
    }

    @Test
    void tokensNeverShowThePresentedKey() {
        ApiKeyAuthenticationToken token = ApiKeyAuthenticationToken.unauthenticated(key);

        assertThat(token.toString()).doesNotContain(key);
        assertThat(token.isAuthenticated()).isFalse();
        token.eraseCredentials();
        assertThat(token.getCredentials()).isNull();
        assertThatThrownBy(() -> token.setAuthenticated(true)).isInstanceOf(IllegalArgumentException.class);
    }
}
