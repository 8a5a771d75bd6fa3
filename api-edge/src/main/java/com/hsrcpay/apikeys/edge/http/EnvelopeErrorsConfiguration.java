package com.hsrcpay.apikeys.edge.http;

import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import org.apache.catalina.Host;
import org.apache.catalina.startup.Tomcat;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The services' web server answers its own refusals in the envelope ({@link EnvelopeErrorReportValve}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Tomcat.class)
public class EnvelopeErrorsConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> envelopeErrorReports(ErrorResponses errors) {
        return factory -> {
            factory.addContextCustomizers(
                    context -> EnvelopeErrorReportValve.installOn((Host) context.getParent(), errors));
            factory.addConnectorCustomizers(EnvelopeErrorReportValve::oneProcessorPerConnection);
        };
    }
}
