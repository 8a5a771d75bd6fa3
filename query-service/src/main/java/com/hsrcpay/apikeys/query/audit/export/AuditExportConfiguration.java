package com.hsrcpay.apikeys.query.audit.export;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

@Configuration(proxyBeanMethods = false)
public class AuditExportConfiguration {

    @Bean
    AuditExport auditExport(DataSource dataSource) {
        return new AuditExport(dataSource);
    }
}
