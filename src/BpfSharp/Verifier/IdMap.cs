namespace BpfSharp.Verifier;

/// <summary>
/// The old-to-current id correspondence built while comparing two states: two registers that shared an id in
/// the explored state must share one (possibly different) id in the current state.
/// </summary>
internal sealed class IdMap
{
    private const int Capacity = 600;
    private readonly int[] _old = new int[Capacity];
    private readonly int[] _cur = new int[Capacity];
    private int _count;
    private int _tmpIdGen;

    public void Reset(int idGen)
    {
        _count = 0;
        _tmpIdGen = idGen;
    }

    public bool CheckIds(int oldId, int curId)
    {
        if ((oldId != 0) != (curId != 0)) return false;
        if (oldId == 0) return true;
        for (int i = 0; i < _count; i++)
        {
            if (_old[i] == oldId) return _cur[i] == curId;
            if (_cur[i] == curId) return false;
        }
        if (_count == Capacity) return false;
        _old[_count] = oldId;
        _cur[_count] = curId;
        _count++;
        return true;
    }

    /// <summary>Like <see cref="CheckIds"/>, but a zero id gets a fresh temporary one (unlinked scalars).</summary>
    public bool CheckScalarIds(int oldId, int curId)
    {
        oldId = oldId != 0 ? oldId : ++_tmpIdGen;
        curId = curId != 0 ? curId : ++_tmpIdGen;
        return CheckIds(oldId, curId);
    }
}
