namespace Quasar.Storage;

/// <summary>
/// A read-only, unbuffered <see cref="FileStream"/> whose asynchronous reads complete
/// synchronously on the caller's thread. A <see cref="System.IO.Pipelines.PipeReader"/> over it
/// then hands out each read at once (no thread-pool hop per read), so the checker parses files
/// synchronously, without an asynchronous state machine per record: its allocations stay flat
/// whatever the size of the file, even in builds that do not optimize state machines away.
/// </summary>
internal sealed class SynchronousFileStream(string path)
    : FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan)
{
    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Read(buffer.Span));
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
