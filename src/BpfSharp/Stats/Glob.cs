namespace BpfSharp.Stats;

/// <summary>veristat's globs: <c>*</c> matches any run of characters, every other character only itself; the whole text must match.</summary>
internal static class Glob
{
    internal static bool Matches(string text, string pattern)
    {
        int t = 0, p = 0;
        // Where to resume after the last '*': the pattern just past it, and the text position it has absorbed up to.
        int resumePattern = -1, resumeText = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                resumePattern = ++p;
                resumeText = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (resumePattern >= 0)
            {
                p = resumePattern;
                t = ++resumeText;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
