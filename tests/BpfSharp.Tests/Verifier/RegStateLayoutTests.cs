using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>The register state is the verifier's hottest data: its size is part of the design (kernel: ~120 bytes).</summary>
public class RegStateLayoutTests
{
    [Fact]
    public void A_register_state_is_84_bytes()
    {
        Assert.Equal(64, Unsafe.SizeOf<ScalarValue>());
        Assert.Equal(84, Unsafe.SizeOf<RegState>());
    }

    [Fact]
    public void A_register_state_has_no_padding_holes()
    {
        // Sum of the fields' sizes equals the struct's size: nothing is wasted on alignment.
        int fields = typeof(RegState).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
            .Sum(f => f.FieldType.IsEnum ? Marshal.SizeOf(Enum.GetUnderlyingType(f.FieldType)) : f.FieldType == typeof(ScalarValue) ? Unsafe.SizeOf<ScalarValue>() : Marshal.SizeOf(f.FieldType));
        Assert.Equal(Unsafe.SizeOf<RegState>(), fields);
    }
}
