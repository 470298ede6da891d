namespace BpfSharp.Verifier;

/// <summary>What the verifier says to a call of a helper id in a program of some type (before checking arguments).</summary>
public enum HelperAvailability : byte
{
    /// <summary>"program of this type cannot use helper …" (or no such helper at all).</summary>
    Unavailable = 0,
    /// <summary>The call proceeds to argument checks.</summary>
    Available = 1,
    /// <summary>The helper exists for the type but may sleep: "helper call might sleep in a non-sleepable prog" unless the program is sleepable.</summary>
    SleepableOnly = 2,
    /// <summary>The helper exists for the type but its <c>allowed</c> callback refuses this program: "helper call is not allowed in probe".</summary>
    NotAllowed = 3,
}
