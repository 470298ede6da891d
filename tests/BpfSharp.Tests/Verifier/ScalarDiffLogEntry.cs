namespace BpfSharp.Tests.Verifier;

/// <summary>
/// One line of a level-2 verifier log that matters to the scalar differential check: the state after an
/// instruction (<c>5: (07) r1 += 3 ; R1=...</c>), a popped branch (<c>from 4 to 9: R0=...</c>), or a pruned
/// path (<c>7: safe</c>, <c>from 3 to 7: safe</c>).
/// </summary>
public sealed record ScalarDiffLogEntry(int Index, int From, bool IsFrom, bool Safe, bool HasState, IReadOnlyDictionary<int, string> Registers, string Line);
