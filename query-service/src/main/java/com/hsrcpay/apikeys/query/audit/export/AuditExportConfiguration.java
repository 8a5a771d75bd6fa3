package com.hsrcpay.apikeys.query.audit.export;

import com.hsrcpay.apikeys.database.DatabaseSettings;
import com.hsrcpay.apikeys.database.DedicatedPool;
import com.hsrcpay.apikeys.query.ReadsPoolConfiguration;
import com.hsrcpay.apikeys.query.transparency.TransparencyReads;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;


@Configuration(proxyBeanMethods = false)
public class AuditExportConfiguration {

    @Bean
    AuditExport auditExport(@Qualifier(ReadsPoolConfiguration.READS_POOL) DedicatedPool reads,
                            TransparencyReads transparencyReads, DatabaseSettings database) {
        // a fetch of the stream gets the background bounds: see AuditExport
        return new AuditExport(reads.dataSource(), transparencyReads, database.background());
    }
}
