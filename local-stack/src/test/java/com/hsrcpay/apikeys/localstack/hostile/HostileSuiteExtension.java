package com.hsrcpay.apikeys.localstack.hostile;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives every hostile test class the one {@link HostileSystem} of the run: started by the first class that asks,
 * kept in the root store, closed when the whole run ends, and then the run's figures are logged.
 */
final class HostileSuiteExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == HostileSystem.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> new Running(HostileSystem.start()), Running.class).system();
    }

    /** Closed by JUnit at the end of the run. */
    private record Running(HostileSystem system) implements ExtensionContext.Store.CloseableResource {

        @Override
        public void close() {
            system.ledger.logFigures("Hostile suite, whole run");
            system.ledger.writeOffences(java.nio.file.Path.of("target", "hostile-offences.txt"));
            system.close();
        }
    }
}
