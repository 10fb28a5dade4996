package dev.rollout.clusterbatcher.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A large upload merged while it still arrives, when the fleet is free: the thread reading the body hands its checked
 * lines, in chunks, to a thread that merges them in the import's transaction, so that receiving and merging overlap
 * instead of following each other. Every line is spooled as well: the merge gives way (rolls back, holding nothing)
 * as soon as another session waits for one of its locks, and the import then merges from its spool once the whole
 * upload is in, in its turn, as a smaller upload always does. A slow client therefore holds up nobody: it holds the
 * fleet only while nobody else asks for it.
 * <p>
 * The reading thread calls {@link #add} for each checked line and {@link #result} at the end of the body; the merging
 * thread takes the lines with {@link #next}. The first {@code from} lines are kept in memory before the merge starts
 * (an upload smaller than that never starts one); after that at most a few chunks are in flight.
 */
final class MergeWhileReceiving implements AutoCloseable {

    record Line(long lineNo, AgentLine agent) {
    }

    /** The merge, run on its own thread; {@code null} when it did not merge (the fleet was busy, or it gave way). */
    interface Merge {
        FleetWriter.Merged run(MergeWhileReceiving lines);
    }

    /** Thrown on the merging thread to roll its transaction back: someone waits, or the upload failed. */
    static final class GaveWay extends RuntimeException {

        private static final long serialVersionUID = 1L;

        GaveWay(String reason) {
            super(reason, null, false, false);
        }
    }

    static final int CHUNK = BulkLoader.CHUNK;
    static final long CHECK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final List<Line> END = new ArrayList<>(0);

    private final long from;
    private final Merge merge;
    private final BlockingQueue<List<Line>> queue = new ArrayBlockingQueue<>(2);
    private List<Line> pending = new ArrayList<>();
    private ExecutorService thread;
    private Future<FleetWriter.Merged> merging;
    /** The reading thread stops handing lines: the merge is over (gave way, or failed). */
    private boolean over;
    /** The upload failed while being read: the merge rolls back. */
    private volatile boolean abandoned;
    /** When the merging thread last reported its progress. */
    private long reported = System.nanoTime();

    /** Merges while receiving once {@code from} lines are in; never when {@code from} is 0 or less. */
    MergeWhileReceiving(long from, Merge merge) {
        this.from = from;
        this.merge = merge;
        if (from <= 0) {
            over = true;
        }
    }

    /** The number of lines an upload has at least when its merge starts. */
    long from() {
        return from;
    }

    /** Whether the lines are being merged as they arrive. */
    boolean merging() {
        return merging != null && !over;
    }

    /** The reading thread: one more checked line. Throws what the merge failed with, should it fail. */
    void add(long lineNo, AgentLine agent) {
        if (over) {
            return;
        }
        pending.add(new Line(lineNo, agent));
        if (merging == null) {
            if (pending.size() >= from) {
                thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "fleet-import-merge"));
                merging = thread.submit(() -> merge.run(this));
                hand();
            }
        }
        else if (pending.size() >= CHUNK) {
            hand();
        }
    }

    /**
     * The reading thread, once the whole upload is in and checked: waits for the merge to commit and answers what it
     * merged; {@code null} when no merge ran or it gave way (the spool then holds every line).
     */
    FleetWriter.Merged result() {
        if (merging == null || over) {
            return null;
        }
        hand();
        while (!over && !offer(END)) {
            checkDone();
        }
        FleetWriter.Merged merged = await();
        over = true;
        return merged;
    }

    /**
     * The merging thread: the next lines, or {@code null} at the end of the upload. Every half second, also while it
     * waits for lines, asks {@code someoneWaits}; when it answers yes, or the upload failed, throws {@link GaveWay}.
     * Calls {@code progress} at most once a second.
     */
    List<Line> next(BooleanSupplier someoneWaits, Runnable progress) {
        long checked = System.nanoTime();
        while (true) {
            if (System.nanoTime() - reported >= REPORT_EVERY_NANOS) {
                progress.run();
                reported = System.nanoTime();
            }
            if (abandoned) {
                throw new GaveWay("the upload failed");
            }
            List<Line> lines;
            try {
                lines = queue.poll(100, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GaveWay("interrupted");
            }
            if (lines == END) {
                return null;
            }
            if (System.nanoTime() - checked >= CHECK_EVERY_NANOS) {
                if (someoneWaits.getAsBoolean()) {
                    throw new GaveWay("another session waits for the fleet");
                }
                checked = System.nanoTime();
            }
            if (lines != null) {
                return lines;
            }
        }
    }

    /** The reading thread, whatever happened: a merge still running (the upload failed) rolls back first. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        abandoned = true;
        queue.clear();
        try {
            merging.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException e) {
            // reported by result() where it mattered; an upload that failed reports its own reason
        }
        finally {
            thread.shutdownNow();
        }
    }

    private void hand() {
        if (pending.isEmpty()) {
            return;
        }
        if (merging.isDone()) {
            checkDone();
        }
        List<Line> lines = pending;
        pending = new ArrayList<>(CHUNK);
        while (!over && !offer(lines)) {
            checkDone();
        }
    }

    private boolean offer(List<Line> lines) {
        try {
            return queue.offer(lines, 100, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while handing an upload's lines to its merge", e);
        }
    }

    /** While the reading thread waits for room: a merge that ended early gave way, or failed (rethrown). */
    private void checkDone() {
        if (merging.isDone()) {
            FleetWriter.Merged merged = await();
            if (merged == null) {
                over = true;
                pending = new ArrayList<>(0);
            }
            else {
                throw new IllegalStateException("The merge of an upload ended before the upload did");
            }
        }
    }

    private FleetWriter.Merged await() {
        try {
            return merging.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for an upload's merge", e);
        }
        catch (ExecutionException e) {
            over = true;
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
