package io.github.apikey.spring.autoconfigure;

import io.github.apikey.spring.jpa.ApiKeyTableName;
import io.github.apikey.spring.jpa.ApiKeyTableNamingStrategy;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import jakarta.persistence.EntityManagerFactory;

import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.cfg.MappingSettings;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.persistence.autoconfigure.EntityScanPackages;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Makes the key entity part of the application's persistence unit: its package joins the packages Spring Boot
 * scans, and also the application's own {@code @EntityScan} when there is one (which would otherwise replace
 * them). Runs before Hibernate is configured.
 */
@AutoConfiguration(before = HibernateJpaAutoConfiguration.class)
@ConditionalOnClass({EntityManagerFactory.class, HibernateJpaAutoConfiguration.class})
@AutoConfigurationPackage(basePackageClasses = ApiKeyEntity.class)
@EnableConfigurationProperties(ApiKeyProperties.class)
public final class ApiKeyJpaEntityAutoConfiguration {

    @Bean
    static BeanDefinitionRegistryPostProcessor apiKeyEntityScanRegistrar() {
        return new ApiKeyEntityScanRegistrar();
    }

    @Bean
    HibernatePropertiesCustomizer apiKeyTableNameCustomizer(ApiKeyProperties properties) {
        String tableName = ApiKeyTableName.require(properties.getJdbc().getTableName());
        return hibernateProperties -> {
            if (ApiKeyEntity.LOGICAL_TABLE_NAME.equals(tableName)) {
                return;
            }
            Object configured = hibernateProperties.get(MappingSettings.PHYSICAL_NAMING_STRATEGY);
            hibernateProperties.put(MappingSettings.PHYSICAL_NAMING_STRATEGY,
                    new ApiKeyTableNamingStrategy(instantiate(configured), tableName));
        };
    }

    private static PhysicalNamingStrategy instantiate(Object configured) {
        if (configured instanceof PhysicalNamingStrategy strategy) {
            return strategy;
        }
        if (configured instanceof Class<?> type) {
            return (PhysicalNamingStrategy) BeanUtils.instantiateClass(type);
        }
        if (configured instanceof String className) {
            Class<?> type = ClassUtils.resolveClassName(className, ApiKeyJpaEntityAutoConfiguration.class.getClassLoader());
            return (PhysicalNamingStrategy) BeanUtils.instantiateClass(type);
        }
        return new org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl();
    }

    /**
     * Adds the entity's package to an {@code @EntityScan} of the application. Without one it does nothing, since
     * registering packages would then replace the default scan of the application's own packages.
     */
    static final class ApiKeyEntityScanRegistrar implements BeanDefinitionRegistryPostProcessor {

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            if (registry.containsBeanDefinition(EntityScanPackages.class.getName())) {
                EntityScanPackages.register(registry, ApiKeyEntity.class.getPackageName());
            }
        }

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        }
    }
}
