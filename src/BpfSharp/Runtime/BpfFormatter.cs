using System.Globalization;
using System.Text;

namespace BpfSharp.Runtime;

/// <summary>
/// The printf subset the kernel accepts in bpf_trace_printk, bpf_snprintf and bpf_seq_printf: <c>%d %i %u %x %X</c>
/// with <c>l</c>/<c>ll</c>, <c>%c</c>, <c>%s</c>, <c>%p</c>/<c>%px</c>/<c>%pK</c>, <c>%pI4</c>/<c>%pi4</c>, <c>%%</c>, with the flags
/// <c>0 + - space</c>, a width and a precision. Strings and addresses are read through the program's address space
/// without faulting (a bad string address prints as an empty string, as the kernel's copy does).
/// </summary>
public static class BpfFormatter
{
    /// <summary>
    /// Formats <paramref name="format"/> (the bytes before its NUL) with <paramref name="args"/>; null when the format is
    /// one the kernel refuses (unknown conversion, too many arguments): the helper then returns -EINVAL.
    /// </summary>
    public static string? Format(AddressSpace memory, ReadOnlySpan<byte> format, ReadOnlySpan<ulong> args)
    {
        var output = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = (char)format[i];
            if (c != '%')
            {
                output.Append(c);
                continue;
            }
            if (++i >= format.Length) return null;
            if (format[i] == '%')
            {
                output.Append('%');
                continue;
            }
            bool left = false, zero = false, plus = false, space = false;
            for (; i < format.Length; i++)
            {
                char flag = (char)format[i];
                if (flag == '-') left = true;
                else if (flag == '0') zero = true;
                else if (flag == '+') plus = true;
                else if (flag == ' ') space = true;
                else break;
            }
            int width = ReadNumber(format, ref i);
            int precision = -1;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = Math.Max(0, ReadNumber(format, ref i));
            }
            if (i >= format.Length) return null;
            if (next >= args.Length) return null;
            ulong arg = args[next++];
            string text;
            char conv = (char)format[i];
            switch (conv)
            {
                case 'c':
                    text = ((char)(byte)arg).ToString();
                    break;
                case 's':
                    text = ReadString(memory, arg);
                    if (precision >= 0 && text.Length > precision) text = text[..precision];
                    break;
                case 'p':
                    if (i + 1 < format.Length && format[i + 1] is (byte)'I' or (byte)'i'
                        && i + 2 < format.Length && format[i + 2] == '4')
                    {
                        i += 2;
                        text = memory.TryGetSpan(arg, 4, false, out var ip)
                            ? $"{ip[0]}.{ip[1]}.{ip[2]}.{ip[3]}" : "(efault)";
                    }
                    else
                    {
                        if (i + 1 < format.Length && format[i + 1] is (byte)'x' or (byte)'K') i++;
                        else if (i + 1 < format.Length && char.IsAsciiLetter((char)format[i + 1])) return null;
                        text = "0x" + arg.ToString("x", CultureInfo.InvariantCulture);
                    }
                    break;
                default:
                {
                    int longs = 0;
                    while (i < format.Length && format[i] == 'l' && longs < 2) { longs++; i++; }
                    if (i >= format.Length) return null;
                    conv = (char)format[i];
                    if (conv is not ('d' or 'i' or 'u' or 'x' or 'X')) return null;
                    text = FormatInteger(arg, longs > 0, conv, precision, plus, space);
                    if (precision >= 0) zero = false;
                    break;
                }
            }
            output.Append(Pad(text, width, left, zero && conv is 'd' or 'i' or 'u' or 'x' or 'X'));
        }
        return output.ToString();
    }

    private static string FormatInteger(ulong arg, bool wide, char conv, int precision, bool plus, bool space)
    {
        string sign = "";
        string digits;
        if (conv is 'd' or 'i')
        {
            long v = wide ? (long)arg : (int)arg;
            if (v < 0) sign = "-";
            else if (plus) sign = "+";
            else if (space) sign = " ";
            digits = v < 0 ? ((ulong)(-(v + 1)) + 1).ToString(CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            ulong v = wide ? arg : (uint)arg;
            digits = conv switch
            {
                'x' => v.ToString("x", CultureInfo.InvariantCulture),
                'X' => v.ToString("X", CultureInfo.InvariantCulture),
                _ => v.ToString(CultureInfo.InvariantCulture),
            };
        }
        if (precision >= 0 && digits.Length < precision) digits = new string('0', precision - digits.Length) + digits;
        if (precision == 0 && digits == "0") digits = "";
        return sign + digits;
    }

    private static string Pad(string text, int width, bool left, bool zero)
    {
        if (text.Length >= width) return text;
        if (left) return text.PadRight(width);
        if (!zero) return text.PadLeft(width);
        int signLength = text.Length > 0 && text[0] is '-' or '+' or ' ' ? 1 : 0;
        return text[..signLength] + new string('0', width - text.Length) + text[signLength..];
    }

    private static int ReadNumber(ReadOnlySpan<byte> format, ref int i)
    {
        int value = 0;
        while (i < format.Length && format[i] >= '0' && format[i] <= '9')
        {
            value = Math.Min(value * 10 + (format[i] - '0'), 4096);
            i++;
        }
        return value;
    }

    /// <summary>A NUL-terminated string at <paramref name="address"/>, up to the end of its region; empty when the address is bad.</summary>
    public static string ReadString(AddressSpace memory, ulong address, int max = 4096)
    {
        int region = memory.FindRegion(address);
        if (region < 0) return "";
        var r = memory[region];
        int offset = (int)(uint)address;
        var bytes = r.Array.AsSpan(r.Offset + offset, Math.Min(r.Length - offset, max));
        int end = bytes.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
