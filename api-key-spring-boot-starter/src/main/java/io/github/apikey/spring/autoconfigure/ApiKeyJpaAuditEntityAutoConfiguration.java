package io.github.apikey.spring.autoconfigure;

import io.github.apikey.spring.jpa.audit.ApiKeyEventEntity;

import jakarta.persistence.EntityManagerFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScanPackages;
import org.springframework.context.annotation.Bean;

/**
 * Makes the audit trail's entities part of the application's persistence unit, as
 * {@link ApiKeyJpaEntityAutoConfiguration} does for the key entity, while {@code api-key.audit.enabled} is on (the
 * default): off, their tables are neither mapped nor validated.
 */
@AutoConfiguration(before = HibernateJpaAutoConfiguration.class)
@ConditionalOnClass({EntityManagerFactory.class, HibernateJpaAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "api-key.audit.enabled", matchIfMissing = true)
@AutoConfigurationPackage(basePackageClasses = ApiKeyEventEntity.class)
public final class ApiKeyJpaAuditEntityAutoConfiguration {

    @Bean
    static BeanDefinitionRegistryPostProcessor apiKeyEventEntityScanRegistrar() {
        return new BeanDefinitionRegistryPostProcessor() {

            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                if (registry.containsBeanDefinition(EntityScanPackages.class.getName())) {
                    EntityScanPackages.register(registry, ApiKeyEventEntity.class.getPackageName());
                }
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            }
        };
    }
}
