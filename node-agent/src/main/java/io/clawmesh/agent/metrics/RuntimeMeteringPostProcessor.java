package io.clawmesh.agent.metrics;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.CapacityGate;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Puts the meters around the runtime the agent picked and around its capacity gate, whichever runtime it is: the
 * runtime adapters and {@code RuntimeConfiguration} stay free of metrics code.
 */
final class RuntimeMeteringPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<AgentMeters> meters;

    private final ObjectProvider<AgentRuntime> runtime;

    private final ObjectProvider<Clock> clock;

    RuntimeMeteringPostProcessor(
            ObjectProvider<AgentMeters> meters, ObjectProvider<AgentRuntime> runtime, ObjectProvider<Clock> clock) {
        this.meters = meters;
        this.runtime = runtime;
        this.clock = clock;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AgentRuntime runtime && !(bean instanceof MeteredRuntime)) {
            AgentMeters agentMeters = this.meters.getObject();
            agentMeters.register(runtime.info().kind());
            return new MeteredRuntime(runtime, agentMeters, this.clock.getIfAvailable(Clock::systemUTC));
        }
        if (bean instanceof CapacityGate gate && !(bean instanceof MeteredCapacityGate)) {
            return new MeteredCapacityGate(
                    gate.capacity(),
                    () -> this.meters
                            .getObject()
                            .messages(
                                    AgentMeters.REJECTED,
                                    this.runtime.getObject().info().kind())
                            .increment());
        }
        return bean;
    }
}
