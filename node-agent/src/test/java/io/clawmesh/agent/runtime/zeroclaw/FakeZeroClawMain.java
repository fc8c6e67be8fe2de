package io.clawmesh.agent.runtime.zeroclaw;

import java.util.List;

/**
 * {@link FakeZeroClaw} as a program with ZeroClaw's own start command, {@code daemon -p PORT --host 127.0.0.1}, so the
 * auto-installer can install and start it like the real binary. It prints the settings it was started with.
 */
public final class FakeZeroClawMain {

    private FakeZeroClawMain() {}

    public static void main(String[] args) throws InterruptedException {
        List<String> arguments = List.of(args);
        if (arguments.size() != 5
                || !arguments.get(0).equals("daemon")
                || !arguments.get(1).equals("-p")
                || !arguments.get(3).equals("--host")
                || !arguments.get(4).equals("127.0.0.1")) {
            System.err.println("error: unexpected arguments " + arguments + " (there is no 'serve' command)");
            System.exit(2);
        }
        FakeZeroClaw.start(Integer.parseInt(arguments.get(2)));
        System.out.println("fake zeroclaw daemon on 127.0.0.1:" + arguments.get(2) + " request_timeout_secs="
                + System.getenv("ZEROCLAW_gateway__request_timeout_secs"));
        Thread.currentThread().join();
    }
}
