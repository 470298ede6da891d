namespace BpfSharp.Verifier;

/// <summary>
/// Scalars that share an id (copies of one value, possibly plus a constant): refining one at a conditional
/// jump refines all. At most six are recorded; the set is packed into a jump-history entry so precision
/// backtracking can follow it (10 bits per entry: frame, register or slot, is-register).
/// </summary>
internal struct LinkedRegs
{
    public const int Max = 6;

    public readonly record struct Entry(int Frame, int Index, bool IsReg);

    private Entry _e0, _e1, _e2, _e3, _e4, _e5;

    public int Count { get; private set; }

    public readonly Entry this[int i] => i switch
    {
        0 => _e0, 1 => _e1, 2 => _e2, 3 => _e3, 4 => _e4, _ => _e5,
    };

    public bool TryPush(Entry e)
    {
        if (Count >= Max) return false;
        switch (Count)
        {
            case 0: _e0 = e; break;
            case 1: _e1 = e; break;
            case 2: _e2 = e; break;
            case 3: _e3 = e; break;
            case 4: _e4 = e; break;
            default: _e5 = e; break;
        }
        Count++;
        return true;
    }

    public readonly ulong Pack()
    {
        ulong val = 0;
        for (int i = 0; i < Count; i++)
        {
            var e = this[i];
            ulong tmp = (ulong)(uint)e.Frame | ((ulong)(uint)e.Index << 3) | ((e.IsReg ? 1UL : 0UL) << 9);
            val <<= 10;
            val |= tmp;
        }
        val <<= 4;
        val |= (ulong)(uint)Count;
        return val;
    }

    public static Entry[] Unpack(ulong val)
    {
        int cnt = (int)(val & 0xf);
        val >>= 4;
        var result = new Entry[cnt];
        for (int i = 0; i < cnt; i++)
        {
            result[i] = new Entry((int)(val & 0x7), (int)((val >> 3) & 0x3f), ((val >> 9) & 1) != 0);
            val >>= 10;
        }
        return result;
    }
}
