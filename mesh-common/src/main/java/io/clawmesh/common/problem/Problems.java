package io.clawmesh.common.problem;

import io.clawmesh.common.api.ApiPaths;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problems with the stable {@code urn:clawmesh:problem:<slug>} types that clients switch on. */
public final class Problems {

    private Problems() {}

    /** A problem of type {@code urn:clawmesh:problem:<slug>}. */
    public static ProblemDetail of(HttpStatus status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(slug));
        problem.setTitle(title);
        return problem;
    }

    public static URI type(String slug) {
        return URI.create(ApiPaths.PROBLEM_TYPE_PREFIX + slug);
    }
}
