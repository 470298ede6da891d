using System.Globalization;
using System.Text;

namespace BpfSharp.Verifier;

/// <summary>
/// The verifier log as the kernel writes it: text appended at the end, truncated back to a saved position when
/// a path is abandoned at level 1 (so that a rejection shows the failing path only), and patched in place when
/// an instruction's register state is appended to its line.
/// </summary>
internal sealed class VerifierLog
{
    public const int LevelBasic = 1;
    public const int LevelVerbose = 2;

    private readonly StringBuilder _text = new();

    public VerifierLog(int level) => Level = level;

    /// <summary>Bit 1: basic; bit 2: verbose.</summary>
    public int Level { get; }

    public bool Enabled => Level != 0;

    public bool Verbose => (Level & LevelVerbose) != 0;

    public int EndPos => _text.Length;

    private readonly StringBuilder _tail = new();

    public void Append(string text)
    {
        if (Level != 0) _text.Append(text);
        else AppendTail(text);
    }

    public void Append(char c)
    {
        if (Level != 0) _text.Append(c);
        else AppendTail(c.ToString());
    }

    public void Append(int value)
    {
        if (Level != 0) _text.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    // Without a log, the last messages are still kept: the rejection reason is read from them.
    private void AppendTail(string text)
    {
        if (_tail.Length > 8192) _tail.Remove(0, _tail.Length - 1024);
        _tail.Append(text);
    }

    /// <summary>The log, or without one the last messages written.</summary>
    public string ErrorText => Level != 0 ? _text.ToString() : _tail.ToString();

    public StringBuilder Builder => _text;

    /// <summary>Drop everything after <paramref name="pos"/>.</summary>
    public void Reset(int pos)
    {
        if (pos < _text.Length) _text.Length = Math.Max(0, pos);
    }

    public override string ToString() => _text.ToString();
}
