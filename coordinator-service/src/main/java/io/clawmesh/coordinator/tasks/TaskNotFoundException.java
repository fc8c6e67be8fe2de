package io.clawmesh.coordinator.tasks;

/** No task with that id: never submitted, or deleted after its retention. */
public class TaskNotFoundException extends RuntimeException {

    public TaskNotFoundException(String id) {
        super("no task with id '" + shown(id) + "' (finished tasks are deleted after mesh.tasks.retention)");
    }

    private static String shown(String id) {
        String printable = id.replaceAll("[^\\x20-\\x7e]", "?");
        return (printable.length() <= 64) ? printable : printable.substring(0, 64) + "…";
    }
}
