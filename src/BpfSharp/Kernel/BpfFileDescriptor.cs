using System.Runtime.InteropServices;

namespace BpfSharp.Kernel;

/// <summary>
/// A file descriptor for a kernel BPF object (map, program, BTF). Closed when disposed or finalized, so kernel
/// objects never outlive their users by accident.
/// </summary>
public sealed class BpfFileDescriptor : SafeHandle
{
    internal BpfFileDescriptor(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    /// <summary>The descriptor number (valid while the handle is open).</summary>
    public int Value => (int)handle;

    /// <inheritdoc/>
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => NativeMethods.Close((int)handle) == 0;

    /// <inheritdoc/>
    public override string ToString() => IsClosed ? "fd (closed)" : $"fd {Value}";
}
