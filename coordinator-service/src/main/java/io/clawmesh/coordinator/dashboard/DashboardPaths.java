package io.clawmesh.coordinator.dashboard;

/** Paths of the dashboard pages; everything below {@link #ROOT} is behind the dashboard's form login. */
final class DashboardPaths {

    static final String ROOT = "/dashboard";

    static final String LOGIN = ROOT + "/login";

    static final String LOGOUT = ROOT + "/logout";

    static final String ASSETS = ROOT + "/assets";

    static final String NODES = ROOT + "/nodes";

    static final String NODE = NODES + "/{id}";

    static final String RULES = ROOT + "/rules";

    static final String CONSOLE = ROOT + "/console";

    static final String ACTIVITY = ROOT + "/activity";

    static final String TASKS = ROOT + "/tasks";

    /** The audit trail of operator actions. */
    static final String AUDIT = ROOT + "/audit";

    static final String TASK = TASKS + "/{id}";

    static final String TASK_CANCEL = TASK + "/cancel";

    /** One task's event stream for the page script, authenticated by the session; answered 401, not a redirect. */
    static final String TASK_EVENTS = TASK + "/events";

    /** Where the console's script submits a message as a task; answered with JSON, 401 rather than a redirect. */
    static final String CONSOLE_TASKS = CONSOLE + "/tasks";

    /** Page fragments that the page script fetches again when the mesh changes; answered 401, not a redirect. */
    static final String LIVE = ROOT + "/live";

    /** The dashboard's own event stream, authenticated by the session (an EventSource cannot send a bearer token). */
    static final String EVENTS = ROOT + "/events";

    private DashboardPaths() {}
}
