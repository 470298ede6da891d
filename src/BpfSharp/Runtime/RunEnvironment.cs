using BpfSharp.Runtime.Maps;

namespace BpfSharp.Runtime;

/// <summary>
/// What the helpers of a test run act on beyond memory and maps: the packet, where the program asked to redirect
/// it, and the ring buffer records it holds. Set on <see cref="BpfExecution.Environment"/> by the runner.
/// </summary>
public sealed class RunEnvironment
{
    private readonly Dictionary<int, RingBufferMap> _reservations = new();

    /// <summary>The packet of a packet program; null for others.</summary>
    public PacketBuffer? Packet { get; set; }

    /// <summary>The redirect the program asked for (bpf_redirect, bpf_redirect_map), or null.</summary>
    public string? Redirect { get; set; }

    /// <summary>Remembers which ring buffer a reserved record (by its region) belongs to.</summary>
    internal void Reserved(int region, RingBufferMap map) => _reservations[region] = map;

    /// <summary>Forgets a reservation and returns its ring buffer, or null when the region is no reservation.</summary>
    internal RingBufferMap? Release(int region) => _reservations.Remove(region, out var map) ? map : null;

    /// <summary>Reservations neither submitted nor discarded.</summary>
    public int OpenReservations => _reservations.Count;

    /// <summary>Starts a new run.</summary>
    public void Reset()
    {
        Redirect = null;
        _reservations.Clear();
    }
}
