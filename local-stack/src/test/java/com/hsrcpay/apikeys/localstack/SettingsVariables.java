package com.hsrcpay.apikeys.localstack;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The environment variables a service binds through its {@code @ConfigurationProperties} records, by Spring Boot's
 * relaxed names ({@code kms.scheduler.polling-interval-ms} from {@code KMS_SCHEDULER_POLLING_INTERVAL_MS}). A map
 * component binds a family of variables: its name ends in {@code _*}.
 */
final class SettingsVariables {

    private SettingsVariables() {
    }

    static Set<String> boundIn(String... basePackages) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<String> variables = new TreeSet<>();
        for (String base : basePackages) {
            scanner.findCandidateComponents(base).forEach(candidate -> {
                try {
                    Class<?> type = Class.forName(candidate.getBeanClassName());
                    ConfigurationProperties settings = type.getAnnotation(ConfigurationProperties.class);
                    String prefix = settings.prefix().isEmpty() ? settings.value() : settings.prefix();
                    collect(type, prefix, variables);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return variables;
    }

    private static void collect(Class<?> type, String prefix, Set<String> into) {
        if (!type.isRecord()) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String property = prefix + "." + kebab(component.getName());
            if (component.getType().isRecord()) {
                collect(component.getType(), property, into);
            } else if (java.util.Map.class.isAssignableFrom(component.getType())) {
                into.add(variable(property) + "_*");
            } else {
                into.add(variable(property));
            }
        }
    }

    /** Whether {@code variable} is one of {@code bound} (a map family included). */
    static boolean binds(Set<String> bound, String variable) {
        return bound.contains(variable) || bound.stream()
                .anyMatch(b -> b.endsWith("_*") && variable.startsWith(b.substring(0, b.length() - 1)));
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String variable(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
