package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

import io.clawmesh.coordinator.events.EventStreamWriter;
import io.clawmesh.coordinator.security.OperatorToken;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(DashboardEventsController.class)
@Import(DashboardFixtures.SliceConfiguration.class)
class DashboardEventsControllerTests {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OperatorToken tokens;

    @MockitoBean
    EventStreamWriter writer;

    @Test
    void streamWhenAnonymousShouldAnswer401AndOpenNothing() throws Exception {
        assertThat(this.mvc.get().uri("/dashboard/events")).hasStatus(401);
        then(this.writer).should(never()).write(any(), any());
    }

    @Test
    void streamWhenLoggedInShouldReplayFromTheBrowsersLastEventId() throws Exception {
        assertThat(this.mvc
                        .get()
                        .uri("/dashboard/events")
                        .header("Last-Event-ID", "1763953200000042")
                        .with(DashboardFixtures.operator()))
                .hasStatusOk();
        then(this.writer).should().write(eq(1763953200000042L), any());
    }

    @Test
    void streamWithUnreadableLastEventIdShouldStartAfresh() throws Exception {
        assertThat(this.mvc
                        .get()
                        .uri("/dashboard/events")
                        .header("Last-Event-ID", "yesterday")
                        .with(DashboardFixtures.operator()))
                .hasStatusOk();
        then(this.writer).should().write(isNull(), any());
    }
}
