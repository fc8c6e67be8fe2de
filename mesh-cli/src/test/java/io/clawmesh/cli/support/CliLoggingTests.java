package io.clawmesh.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The logging {@code main} leaves to Logback (ADR 0016): found by Logback, warnings on standard error. */
class CliLoggingTests {

    @Test
    void logbackShouldFindItAsAConfigurator() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(CliLogging.class);
    }

    @Test
    void configureShouldSendWarningsToStandardErrorAndOnlyErrorsOfShellAndJline() {
        LoggerContext context = new LoggerContext();

        new CliLogging().configure(context);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR"))
                .isInstanceOfSatisfying(
                        ConsoleAppender.class,
                        (appender) -> assertThat(appender.getTarget()).isEqualTo("System.err"));
        assertThat(context.getLogger("org.springframework.shell.core").getEffectiveLevel())
                .isEqualTo(Level.ERROR);
        assertThat(context.getLogger("org.jline.reader").getEffectiveLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("io.clawmesh.cli").getEffectiveLevel()).isEqualTo(Level.WARN);
    }
}
