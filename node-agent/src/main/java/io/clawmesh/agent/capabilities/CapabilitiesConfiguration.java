package io.clawmesh.agent.capabilities;

import io.clawmesh.agent.AgentProperties;
import io.clawmesh.common.node.Names;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import oshi.SystemInfo;

/** Wires capability detection to this machine: its OS, environment, home directory and memory. */
@Configuration(proxyBeanMethods = false)
public class CapabilitiesConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(CapabilitiesConfiguration.class);

    @Bean
    CapabilityMonitor capabilityMonitor(AgentProperties properties, Clock clock) {
        CapabilityDetector detector = new CapabilityDetector(
                System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""),
                System.getenv(),
                Path.of(System.getProperty("user.home", ".")),
                CapabilitiesConfiguration::totalMemoryBytes,
                CommandProbe.processes(),
                Names.requireLabels("mesh.agent.tags", properties.tags()));
        return new CapabilityMonitor(detector::detect, properties.capabilitiesRefresh(), clock);
    }

    private static long totalMemoryBytes() {
        try {
            return new SystemInfo().getHardware().getMemory().getTotal();
        } catch (RuntimeException | LinkageError ex) {
            logger.debug("OSHI could not read the memory size, asking the JVM instead", ex);
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
            return 0;
        }
    }
}
