package io.github.apikey.spring.security.jwt;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * An application that accepts JWTs and API keys in one chain. Its tokens are signed by an RSA key pair generated
 * here, so the real {@link NimbusJwtDecoder} checks real signatures without any issuer to call.
 */
@SpringBootApplication
public class JwtApplication {

    static final KeyPair TRUSTED_SIGNER = newRsaKeyPair();

    @Bean
    JwtDecoder jwtDecoder() {
        return NimbusJwtDecoder.withPublicKey((RSAPublicKey) TRUSTED_SIGNER.getPublic()).build();
    }

    static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("Every JVM supports RSA", impossible);
        }
    }
}
