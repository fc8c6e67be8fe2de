package io.clawmesh.cli.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The CLI's logging, set up in code: warnings and errors on standard error (standard output is the command's result),
 * Spring Shell and JLine only from errors up. {@code main} turns Spring Boot's logging system off (it would parse
 * {@code logback-spring.xml} on every command, about a tenth of a one-shot verb's start); Logback then finds this
 * class through {@code META-INF/services}. It configures what {@code logback-spring.xml} and {@code application.yml}
 * configure, which stay for contexts started without {@code main} (the tests).
 */
public class CliLogging extends ContextAwareBase implements Configurator {

    /** Where every log line starts; the same as in {@code logback-spring.xml}. */
    static final String PATTERN = "claw-mesh: %-5level %logger{36} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("org.springframework.shell").setLevel(Level.ERROR);
        context.getLogger("org.jline").setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
