package io.clawmesh.cli;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Entry point of the {@code claw-mesh} CLI. With arguments it runs one command and exits; without, it opens the
 * interactive shell (Spring Shell 4 picks its runner only from {@code spring.shell.interactive.enabled}).
 */
@SpringBootApplication
public class MeshCliApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(MeshCliApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.shell.interactive.enabled=" + (args.length == 0))
                .run(args);
    }
}
