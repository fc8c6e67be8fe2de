package io.clawmesh.common.problem;

import org.springframework.http.ProblemDetail;

/** Builds Spring's RFC 9457 {@link ProblemDetail} for a {@link ProblemType}: its status, type URI and title. */
public final class Problems {

    private Problems() {}

    /** A problem of {@code type} with a detail that says what to fix. */
    public static ProblemDetail of(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        return problem;
    }
}
