namespace BpfSharp.Runtime;

/// <summary>
/// A field of a context region that reads as a 64-bit pointer although the program loads it with a smaller size:
/// the kernel's <c>__sk_buff.data</c> / <c>data_end</c> / <c>data_meta</c> and <c>xdp_md.data</c> ... are 32-bit
/// fields the verifier rewrites into loads of the real pointers. A load of exactly <see cref="Size"/> bytes at
/// <see cref="Offset"/> yields <see cref="Value"/> (typically an address in the packet region); a store over the
/// field is refused.
/// </summary>
/// <param name="Offset">Byte offset of the field in the context.</param>
/// <param name="Size">Size of the load the program uses (4 for the kernel's u32 fields).</param>
/// <param name="Value">Computes the 64-bit value at load time, from the current state of the address space
/// (so a packet moved by xdp_adjust_head is seen at once).</param>
public readonly record struct ContextPointerField(int Offset, int Size, Func<AddressSpace, ulong> Value);
