namespace BpfSharp.Verifier;

/// <summary>
/// Loops: states inside a strongly connected component are compared by range only while the loop is still
/// being explored, and each such match is remembered as a back-edge whose precision marks are propagated to a
/// fixed point once every path from the loop's entry state is done (the kernel's SCC visits).
/// </summary>
internal sealed partial class Verification
{
    private sealed class SccVisit
    {
        public required string Key;
        public VerifierState? EntryState;
        public readonly List<VerifierState> Backedges = [];
    }

    private readonly Dictionary<string, SccVisit> _sccVisits = new();

    /// <summary>Call chain of the topmost frame whose instruction is in a loop, as a key; null outside loops.</summary>
    private string? SccCallchain(VerifierState st)
    {
        Span<int> callsites = stackalloc int[VerifierState.MaxFrames];
        for (int i = 0; i <= st.CurFrame; i++)
        {
            int insnIdx = st.FrameInsnIdx(i);
            int scc = _aux[insnIdx].Scc;
            if (scc != 0)
            {
                var parts = new string[i + 1];
                for (int k = 0; k < i; k++) parts[k] = callsites[k].ToString(System.Globalization.CultureInfo.InvariantCulture);
                parts[i] = scc.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return string.Join(",", parts);
            }
            if (i < st.CurFrame) callsites[i] = insnIdx;
            else return null;
        }
        return null;
    }

    private void MaybeEnterScc(VerifierState st)
    {
        if (SccCallchain(st) is not { } key) return;
        if (!_sccVisits.TryGetValue(key, out var visit))
        {
            visit = new SccVisit { Key = key };
            _sccVisits[key] = visit;
        }
        if (visit.EntryState is null)
        {
            visit.EntryState = st;
            if (_log.Verbose) Verbose($"SCC enter ({key})\n");
        }
    }

    private void MaybeExitScc(VerifierState st)
    {
        if (SccCallchain(st) is not { } key) return;
        if (!_sccVisits.TryGetValue(key, out var visit)) return;
        if (visit.EntryState != st) return;
        if (_log.Verbose) Verbose($"SCC exit ({key})\n");
        visit.EntryState = null;
        _numBackedges -= visit.Backedges.Count;
        UpdatePeakStates();
        PropagateBackedges(visit);
    }

    private bool IncompleteReadMarks(VerifierState st)
    {
        if (_sccVisits.Count == 0) return false;
        if (SccCallchain(st) is not { } key) return false;
        return _sccVisits.TryGetValue(key, out var visit) && visit.Backedges.Count > 0;
    }

    private void AddBackedge(VerifierState old, VerifierState cur, int insnIdx)
    {
        var copy = _pool.RentState();
        CopyState(copy, cur);
        copy.EqualState = old;
        copy.InsnIdx = insnIdx;
        string? key = SccCallchain(old);
        SccVisit? visit = null;
        if (key is null || !_sccVisits.TryGetValue(key, out visit))
            Reject($"verifier bug: add backedge: no SCC in verification path, insn_idx {old.InsnIdx}", VerifierReject.EFAULT);
        if (_log.Verbose) Verbose($"SCC backedge ({key})\n");
        visit.Backedges.Add(copy);
        _numBackedges++;
        UpdatePeakStates();
    }

    /// <summary>
    /// The nearest checkpoint at <paramref name="insnIdx"/> that is an ancestor of <paramref name="cur"/> on the
    /// current path (still has branches, same call chain, shallower): the previous iteration of a loop.
    /// </summary>
    private VerifierState? FindPrevEntry(VerifierState? cur, int insnIdx)
    {
        if (cur is null) return null;
        // Checkpoints are inserted at the head, so the most recent comes first.
        for (var sl = BucketHead(insnIdx).Next; sl is not null; sl = sl.Next)
        {
            var st = sl.State;
            if (st.InsnIdx == insnIdx && st.Branches > 0 && st.SameCallsites(cur) && st.DfsDepth < cur.DfsDepth)
                return st;
        }
        return null;
    }

    /// <summary>
    /// Before another iteration of a loop the verifier cannot count (may_goto), every imprecise scalar that changed
    /// since the previous iteration becomes unknown, so iterations converge to a state the checkpoint covers
    /// instead of each one differing by a counter nobody needs exactly.
    /// </summary>
    private void WidenImpreciseScalars(VerifierState old, VerifierState cur)
    {
        _idmap.Reset(_idGen);
        for (int fr = old.CurFrame; fr >= 0; fr--)
        {
            var fold = old.Frames[fr]!;
            var fcur = cur.Frames[fr]!;
            for (int i = 0; i < FuncState.RegCount; i++) MaybeWidenReg(in fold.Regs[i], ref fcur.Regs[i]);
            // The ancestor may have a deeper stack than the current state (another call into the same function).
            int slots = Math.Min(fold.Slots, fcur.Slots);
            for (int spi = 0; spi < slots; spi++)
                if (fold.IsSpilled(spi) && fcur.IsSpilled(spi))
                    MaybeWidenReg(in fold.Spilled[spi], ref fcur.Spilled[spi]);
        }
    }

    private void MaybeWidenReg(in RegState old, ref RegState cur)
    {
        if (old.Type != RegType.Scalar || cur.Type != RegType.Scalar) return;
        if (old.Precise || cur.Precise || RegsExact(in old, in cur)) return;
        cur.MarkUnknown();
    }

    private const int MaxBackedgeIters = 64;

    private void PropagateBackedges(SccVisit visit)
    {
        int i = 0;
        bool changed;
        do
        {
            if (i++ > MaxBackedgeIters)
            {
                if (_log.Verbose) Verbose("propagate_backedges: too many iterations\n");
                foreach (var st in visit.Backedges) MarkAllScalarsPrecise(st);
                break;
            }
            changed = false;
            foreach (var st in visit.Backedges)
            {
                PropagatePrecision(st.EqualState!, st, out bool c);
                changed |= c;
            }
        }
        while (changed);
        foreach (var st in visit.Backedges) _pool.ReturnState(st);
        visit.Backedges.Clear();
    }

    private void ReleaseBackedges()
    {
        foreach (var visit in _sccVisits.Values)
        {
            foreach (var st in visit.Backedges) _pool.ReturnState(st);
            visit.Backedges.Clear();
        }
    }
}
