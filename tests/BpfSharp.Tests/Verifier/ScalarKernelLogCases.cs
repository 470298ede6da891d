namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Small programs and what the running Linux 6.18 (6.18.44) verifier printed for them at log level 2, verbatim
/// (the liveness table left out). The simulation must print every scalar register state the same way.
/// </summary>
public static class ScalarKernelLogCases
{
    /// <summary>(name, program, kernel log).</summary>
    public static TheoryData<string, string, string> All => new()
    {
        {
            "constants",
            """
r6 = r1
r0 = 42
r1 = -1
r2 = 0x12345678
w3 = -5
r4 = 0x8000000000000000 ll
r5 = -40000
r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (b7) r0 = 42                       ; R0=42
2: (b7) r1 = -1                       ; R1=-1
3: (b7) r2 = 305419896                ; R2=0x12345678
4: (b4) w3 = -5                       ; R3=0xfffffffb
5: (18) r4 = 0x8000000000000000       ; R4=0x8000000000000000
7: (b7) r5 = -40000                   ; R5=0xffffffffffff63c0
8: (b7) r0 = 0                        ; R0=0
9: (95) exit
"""
        },
        {
            "context loads",
            """
r6 = r1
r1 = *(u8 *)(r6 +0)
r2 = *(u16 *)(r6 +0)
r3 = *(u32 *)(r6 +0)
r4 = *(s8 *)(r6 +0)
r5 = *(s16 *)(r6 +0)
r7 = *(s32 *)(r6 +0)
r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (71) r1 = *(u8 *)(r6 +0)           ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
2: (69) r2 = *(u16 *)(r6 +0)          ; R2=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,var_off=(0x0; 0xffff)) R6=ctx()
3: (61) r3 = *(u32 *)(r6 +0)          ; R3=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx()
4: (91) r4 = *(s8 *)(r6 +0)           ; R4=scalar(smin=smin32=-128,smax=smax32=127) R6=ctx()
5: (89) r5 = *(s16 *)(r6 +0)          ; R5=scalar(smin=smin32=-32768,smax=smax32=32767) R6=ctx()
6: (81) r7 = *(s32 *)(r6 +0)          ; R6=ctx() R7=scalar(smin=0xffffffff80000000,smax=0x7fffffff)
7: (b7) r0 = 0                        ; R0=0
8: (95) exit
"""
        },
        {
            "add sub mul neg div mod",
            """
r6 = r1
r1 = *(u8 *)(r6 +0)
r1 += -2
r2 = *(u8 *)(r6 +0)
r2 += 5
r2 *= 3
r3 = -1
r3 += r2
r4 = *(u8 *)(r6 +0)
r4 = -r4
r5 = *(u8 *)(r6 +0)
w5 -= 10
r7 = *(u16 *)(r6 +0)
r7 /= 3
r8 = *(u16 *)(r6 +0)
w8 %= 7
r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (71) r1 = *(u8 *)(r6 +0)           ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
2: (07) r1 += -2                      ; R1=scalar(smin=smin32=-2,smax=smax32=253)
3: (71) r2 = *(u8 *)(r6 +0)           ; R2=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
4: (07) r2 += 5                       ; R2=scalar(smin=umin=smin32=umin32=5,smax=umax=smax32=umax32=260,var_off=(0x0; 0x1ff))
5: (27) r2 *= 3                       ; R2=scalar(smin=umin=smin32=umin32=15,smax=umax=smax32=umax32=780,var_off=(0x0; 0x3ff))
6: (b7) r3 = -1                       ; R3=-1
7: (0f) r3 += r2                      ; R2=scalar(smin=umin=smin32=umin32=15,smax=umax=smax32=umax32=780,var_off=(0x0; 0x3ff)) R3=scalar(smin=umin=smin32=umin32=14,smax=umax=smax32=umax32=779,var_off=(0x0; 0x3ff))
8: (71) r4 = *(u8 *)(r6 +0)           ; R4=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
9: (87) r4 = -r4                      ; R4=scalar(smin=smin32=-255,smax=smax32=0)
10: (71) r5 = *(u8 *)(r6 +0)          ; R5=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
11: (14) w5 -= 10                     ; R5=scalar(smin=0,smax=umax=0xffffffff,smin32=-10,smax32=245,var_off=(0x0; 0xffffffff))
12: (69) r7 = *(u16 *)(r6 +0)         ; R6=ctx() R7=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,var_off=(0x0; 0xffff))
13: (37) r7 /= 3                      ; R7=scalar()
14: (69) r8 = *(u16 *)(r6 +0)         ; R6=ctx() R8=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,var_off=(0x0; 0xffff))
15: (94) w8 %= 7                      ; R8=scalar()
16: (b7) r0 = 0                       ; R0=0
17: (95) exit
"""
        },
        {
            "bitwise and shifts",
            """
r6 = r1
r1 = *(u32 *)(r6 +0)
r1 &= 0xf0
r1 |= 3
r2 = *(u16 *)(r6 +0)
r2 ^= 0x100
r3 = *(u32 *)(r6 +0)
r3 <<= 32
r4 = r3
r4 s>>= 32
r5 = *(u8 *)(r6 +0)
r5 >>= 4
w7 = -16
w7 s>>= 2
r8 = *(u8 *)(r6 +0)
r8 <<= r8
r9 = *(u16 *)(r6 +0)
w9 <<= 20
r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (61) r1 = *(u32 *)(r6 +0)          ; R1=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx()
2: (57) r1 &= 240                     ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=240,var_off=(0x0; 0xf0))
3: (47) r1 |= 3                       ; R1=scalar(smin=umin=smin32=umin32=3,smax=umax=smax32=umax32=243,var_off=(0x3; 0xf0))
4: (69) r2 = *(u16 *)(r6 +0)          ; R2=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,var_off=(0x0; 0xffff)) R6=ctx()
5: (a7) r2 ^= 256                     ; R2=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,var_off=(0x0; 0xffff))
6: (61) r3 = *(u32 *)(r6 +0)          ; R3=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx()
7: (67) r3 <<= 32                     ; R3=scalar(smax=0x7fffffff00000000,umax=0xffffffff00000000,smin32=0,smax32=umax32=0,var_off=(0x0; 0xffffffff00000000))
8: (bf) r4 = r3                       ; R3=scalar(id=1,smax=0x7fffffff00000000,umax=0xffffffff00000000,smin32=0,smax32=umax32=0,var_off=(0x0; 0xffffffff00000000)) R4=scalar(id=1,smax=0x7fffffff00000000,umax=0xffffffff00000000,smin32=0,smax32=umax32=0,var_off=(0x0; 0xffffffff00000000))
9: (c7) r4 s>>= 32                    ; R4=scalar(smin=0xffffffff80000000,smax=0x7fffffff)
10: (71) r5 = *(u8 *)(r6 +0)          ; R5=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
11: (77) r5 >>= 4                     ; R5=scalar(smin=smin32=0,smax=umax=smax32=umax32=15,var_off=(0x0; 0xf))
12: (b4) w7 = -16                     ; R7=0xfffffff0
13: (c4) w7 s>>= 2                    ; R7=0xfffffffc
14: (71) r8 = *(u8 *)(r6 +0)          ; R6=ctx() R8=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))
15: (6f) r8 <<= r8                    ; R8=scalar()
16: (69) r9 = *(u16 *)(r6 +0)         ; R6=ctx() R9=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,var_off=(0x0; 0xffff))
17: (64) w9 <<= 20                    ; R9=scalar(smin=0,smax=umax=umax32=0xfff00000,smax32=0x7ff00000,var_off=(0x0; 0xfff00000))
18: (b7) r0 = 0                       ; R0=0
19: (95) exit
"""
        },
        {
            "byte swaps",
            """
r6 = r1
r1 = 0x1234
r1 = be16 r1
r2 = 0x12345678
r2 = le16 r2
r3 = *(u8 *)(r6 +0)
r3 = be16 r3
r4 = *(u16 *)(r6 +0)
r4 |= 0x10000
r4 = bswap32 r4
r5 = *(u8 *)(r6 +0)
r5 = be64 r5
r7 = -1
r7 = le32 r7
r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (b7) r1 = 4660                     ; R1=4660
2: (dc) r1 = be16 r1                  ; R1=13330
3: (b7) r2 = 305419896                ; R2=0x12345678
4: (d4) r2 = le16 r2                  ; R2=22136
5: (71) r3 = *(u8 *)(r6 +0)           ; R3=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
6: (dc) r3 = be16 r3                  ; R3=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xff00,var_off=(0x0; 0xff00))
7: (69) r4 = *(u16 *)(r6 +0)          ; R4=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,var_off=(0x0; 0xffff)) R6=ctx()
8: (47) r4 |= 65536                   ; R4=scalar(smin=umin=smin32=umin32=0x10000,smax=umax=smax32=umax32=0x1ffff,var_off=(0x10000; 0xffff))
9: (d7) r4 = bswap32 r4               ; R4=scalar(smin=umin=umin32=256,smax=umax=umax32=0xffff0100,smin32=0x80000100,smax32=0x7fff0100,var_off=(0x100; 0xffff0000))
10: (71) r5 = *(u8 *)(r6 +0)          ; R5=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
11: (dc) r5 = be64 r5                 ; R5=scalar(smax=0x7f00000000000000,umax=0xff00000000000000,smin32=0,smax32=umax32=0,var_off=(0x0; 0xff00000000000000))
12: (b7) r7 = -1                      ; R7=-1
13: (d4) r7 = le32 r7                 ; R7=0xffffffff
14: (b7) r0 = 0                       ; R0=0
15: (95) exit
"""
        },
        {
            "sign extension and 32-bit moves",
            """
r6 = r1
r1 = *(u8 *)(r6 +0)
r2 = (s8)r1
r3 = *(u32 *)(r6 +0)
r4 = (s32)r3
w5 = (s16)w3
r7 = -1
w7 = w7
r8 = *(s16 *)(r6 +0)
w8 = w8
r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (71) r1 = *(u8 *)(r6 +0)           ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
2: (bf) r2 = (s8)r1                   ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R2=scalar(smin=smin32=-128,smax=smax32=127)
3: (61) r3 = *(u32 *)(r6 +0)          ; R3=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx()
4: (bf) r4 = (s32)r3                  ; R3=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R4=scalar(smin=0xffffffff80000000,smax=0x7fffffff)
5: (bc) w5 = (s16)w3                  ; R3=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R5=scalar(smin=0,smax=umax=0xffffffff,smin32=-32768,smax32=32767,var_off=(0x0; 0xffffffff))
6: (b7) r7 = -1                       ; R7=-1
7: (bc) w7 = w7                       ; R7=0xffffffff
8: (89) r8 = *(s16 *)(r6 +0)          ; R6=ctx() R8=scalar(smin=smin32=-32768,smax=smax32=32767)
9: (bc) w8 = w8                       ; R8=scalar(smin=0,smax=umax=0xffffffff,smin32=-32768,smax32=32767,var_off=(0x0; 0xffffffff))
10: (b7) r0 = 0                       ; R0=0
11: (95) exit
"""
        },
        {
            "fork of s>>63 and 64-bit and",
            """
r6 = r1
r1 = *(u32 *)(r6 +0)
r1 <<= 32
r1 s>>= 63
r1 &= 12
r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (61) r1 = *(u32 *)(r6 +0)          ; R1=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx()
2: (67) r1 <<= 32                     ; R1=scalar(smax=0x7fffffff00000000,umax=0xffffffff00000000,smin32=0,smax32=umax32=0,var_off=(0x0; 0xffffffff00000000))
3: (c7) r1 s>>= 63                    ; R1=scalar(smin=smin32=-1,smax=smax32=0)
4: (57) r1 &= 12                      ; R1=12
5: (b7) r0 = 0                        ; R0=0
6: (95) exit
from 4 to 4: R1=0 R6=ctx() R10=fp0
4: R1=0 R6=ctx() R10=fp0
4: (57) r1 &= 12                      ; R1=0
5: (b7) r0 = 0                        ; R0=0
6: (95) exit
"""
        },
        {
            "fork of 32-bit sign mask or",
            """
r6 = r1
r1 = *(u8 *)(r6 +0)
w1 s>>= 31
r2 = *(u32 *)(r6 +0)
w2 s>>= 31
w2 |= 3
r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (71) r1 = *(u8 *)(r6 +0)           ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
2: (c4) w1 s>>= 31                    ; R1=0
3: (61) r2 = *(u32 *)(r6 +0)          ; R2=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx()
4: (c4) w2 s>>= 31                    ; R2=scalar(smin=0,smax=umax=0xffffffff,smin32=-1,smax32=0,var_off=(0x0; 0xffffffff))
5: (44) w2 |= 3                       ; R2=0xffffffff
6: (b7) r0 = 0                        ; R0=0
7: (95) exit
from 5 to 5: R1=0 R2=0 R6=ctx() R10=fp0
5: R1=0 R2=0 R6=ctx() R10=fp0
5: (44) w2 |= 3                       ; R2=3
6: (b7) r0 = 0                        ; R0=0
7: (95) exit
"""
        },
        {
            "unsigned signed 32-bit and not-equal branches",
            """
r6 = r1
r1 = *(u8 *)(r6 +0)
if r1 > 200 goto l1
if r1 s< 10 goto l2
if w1 == 50 goto l3
if r1 != 10 goto l4
r0 = 0
exit
l1: r0 = 0
exit
l2: r0 = 0
exit
l3: r0 = 0
exit
l4: r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (71) r1 = *(u8 *)(r6 +0)           ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
2: (25) if r1 > 0xc8 goto pc+5        ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=200,var_off=(0x0; 0xff))
3: (c5) if r1 s< 0xa goto pc+6        ; R1=scalar(smin=umin=smin32=umin32=10,smax=umax=smax32=umax32=200,var_off=(0x0; 0xff))
4: (16) if w1 == 0x32 goto pc+7       ; R1=scalar(smin=umin=smin32=umin32=10,smax=umax=smax32=umax32=200,var_off=(0x0; 0xff))
5: (55) if r1 != 0xa goto pc+8        ; R1=10
6: (b7) r0 = 0                        ; R0=0
7: (95) exit
from 5 to 14: R1=scalar(smin=umin=smin32=umin32=11,smax=umax=smax32=umax32=200,var_off=(0x0; 0xff)) R6=ctx() R10=fp0
14: R1=scalar(smin=umin=smin32=umin32=11,smax=umax=smax32=umax32=200,var_off=(0x0; 0xff)) R6=ctx() R10=fp0
14: (b7) r0 = 0                       ; R0=0
15: (95) exit
from 4 to 12: R1=50 R6=ctx() R10=fp0
12: R1=50 R6=ctx() R10=fp0
12: (b7) r0 = 0                       ; R0=0
13: (95) exit
from 3 to 10: R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=9,var_off=(0x0; 0xf)) R6=ctx() R10=fp0
10: R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=9,var_off=(0x0; 0xf)) R6=ctx() R10=fp0
10: (b7) r0 = 0                       ; R0=0
11: (95) exit
from 2 to 8: R1=scalar(smin=umin=smin32=umin32=201,smax=umax=smax32=umax32=255,var_off=(0xc0; 0x3f)) R6=ctx() R10=fp0
8: R1=scalar(smin=umin=smin32=umin32=201,smax=umax=smax32=umax32=255,var_off=(0xc0; 0x3f)) R6=ctx() R10=fp0
8: (b7) r0 = 0                        ; R0=0
9: (95) exit
"""
        },
        {
            "equality with a tnum that excludes the constant",
            """
r6 = r1
r1 = *(u32 *)(r6 +0)
r1 &= 2
r1 |= 1
if r1 == 3 goto l1
r0 = 0
exit
l1: r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (61) r1 = *(u32 *)(r6 +0)          ; R1=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx()
2: (57) r1 &= 2                       ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=2,var_off=(0x0; 0x2))
3: (47) r1 |= 1                       ; R1=scalar(smin=umin=smin32=umin32=1,smax=umax=smax32=umax32=3,var_off=(0x1; 0x2))
4: (15) if r1 == 0x3 goto pc+2        ; R1=1
5: (b7) r0 = 0                        ; R0=0
6: (95) exit
from 4 to 7: R1=3 R6=ctx() R10=fp0
7: R1=3 R6=ctx() R10=fp0
7: (b7) r0 = 0                        ; R0=0
8: (95) exit
"""
        },
        {
            "bit test both ways",
            """
r6 = r1
r1 = *(u8 *)(r6 +0)
r1 &= 0xf
if r1 < 7 goto l1
if r1 & 8 goto l2
r0 = 0
exit
l1: r0 = 0
exit
l2: r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (71) r1 = *(u8 *)(r6 +0)           ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
2: (57) r1 &= 15                      ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=15,var_off=(0x0; 0xf))
3: (a5) if r1 < 0x7 goto pc+3         ; R1=scalar(smin=umin=smin32=umin32=7,smax=umax=smax32=umax32=15,var_off=(0x0; 0xf))
4: (45) if r1 & 0x8 goto pc+4         ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=7,var_off=(0x0; 0x7))
5: (b7) r0 = 0                        ; R0=0
6: (95) exit
from 4 to 9: R1=scalar(smin=umin=smin32=umin32=8,smax=umax=smax32=umax32=15,var_off=(0x8; 0x7)) R6=ctx() R10=fp0
9: R1=scalar(smin=umin=smin32=umin32=8,smax=umax=smax32=umax32=15,var_off=(0x8; 0x7)) R6=ctx() R10=fp0
9: (b7) r0 = 0                        ; R0=0
10: (95) exit
from 3 to 7: R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=6,var_off=(0x0; 0x7)) R6=ctx() R10=fp0
7: R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=6,var_off=(0x0; 0x7)) R6=ctx() R10=fp0
7: (b7) r0 = 0                        ; R0=0
8: (95) exit
"""
        },
        {
            "same register and register pairs",
            """
r6 = r1
r1 = *(u32 *)(r6 +0)
r2 = *(u32 *)(r6 +4)
if r1 > r1 goto l1
if r1 >= r2 goto l2
if w2 s> -5 goto l3
r0 = 0
exit
l1: r0 = 0
exit
l2: r0 = 0
exit
l3: r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (61) r1 = *(u32 *)(r6 +0)          ; R1=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx()
2: (61) r2 = *(u32 *)(r6 +4)          ; R2=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx()
3: (2d) if r1 > r1 goto pc+4          ; R1=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
4: (3d) if r1 >= r2 goto pc+5         ; R1=scalar(smin=0,smax=umax=umax32=0xfffffffe,var_off=(0x0; 0xffffffff)) R2=scalar(smin=umin=umin32=1,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
5: (66) if w2 s> 0xfffffffb goto pc+6         ; R2=scalar(smin=umin=umin32=0x80000000,smax=umax=umax32=0xfffffffb,smax32=-5,var_off=(0x80000000; 0x7fffffff))
6: (b7) r0 = 0                        ; R0=0
7: (95) exit
from 5 to 12: R1=scalar(smin=0,smax=umax=umax32=0xfffffffe,var_off=(0x0; 0xffffffff)) R2=scalar(smin=umin=umin32=1,smax=umax=0xffffffff,smin32=-4,var_off=(0x0; 0xffffffff)) R6=ctx() R10=fp0
12: R1=scalar(smin=0,smax=umax=umax32=0xfffffffe,var_off=(0x0; 0xffffffff)) R2=scalar(smin=umin=umin32=1,smax=umax=0xffffffff,smin32=-4,var_off=(0x0; 0xffffffff)) R6=ctx() R10=fp0
12: (b7) r0 = 0                       ; R0=0
13: (95) exit
from 4 to 10: R1=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R2=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx() R10=fp0
10: R1=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R2=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx() R10=fp0
10: (b7) r0 = 0                       ; R0=0
11: (95) exit
from 3 to 8: R1=scalar(smin=umin=umin32=1,smax=umax=umax32=0xfffffffe,var_off=(0x0; 0xffffffff)) R2=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx() R10=fp0
8: R1=scalar(smin=umin=umin32=1,smax=umax=umax32=0xfffffffe,var_off=(0x0; 0xffffffff)) R2=scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R6=ctx() R10=fp0
8: (b7) r0 = 0                        ; R0=0
9: (95) exit
"""
        },
        {
            "32-bit sign test after sign-extending load",
            """
r6 = r1
r1 = *(s32 *)(r6 +0)
if w1 s< 0 goto l1
r1 += 1
r0 = 0
exit
l1: r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (81) r1 = *(s32 *)(r6 +0)          ; R1=scalar(smin=0xffffffff80000000,smax=0x7fffffff) R6=ctx()
2: (c6) if w1 s< 0x0 goto pc+3        ; R1=scalar(smin=smin32=0,smax=umax=umax32=0x7fffffff,var_off=(0x0; 0x7fffffff))
3: (07) r1 += 1                       ; R1=scalar(smin=umin=umin32=1,smax=umax=umax32=0x80000000,var_off=(0x0; 0xffffffff))
4: (b7) r0 = 0                        ; R0=0
5: (95) exit
from 2 to 6: R1=scalar(smin=0xffffffff80000000,smax=smax32=-1,umin=0xffffffff80000000,umin32=0x80000000,var_off=(0xffffffff80000000; 0x7fffffff)) R6=ctx() R10=fp0
6: R1=scalar(smin=0xffffffff80000000,smax=smax32=-1,umin=0xffffffff80000000,umin32=0x80000000,var_off=(0xffffffff80000000; 0x7fffffff)) R6=ctx() R10=fp0
6: (b7) r0 = 0                        ; R0=0
7: (95) exit
"""
        },
        {
            "dead branch repaired by the sanity check",
            """
r6 = r1
r0 = *(u16 *)(r6 +0)
r0 |= 0xfffe
if w0 > w0 goto l1
r0 = 0
exit
l1: r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (69) r0 = *(u16 *)(r6 +0)          ; R0=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,var_off=(0x0; 0xffff)) R6=ctx()
2: (47) r0 |= 65534                   ; R0=scalar(smin=umin=smin32=umin32=0xfffe,smax=umax=smax32=umax32=0xffff,var_off=(0xfffe; 0x1))
3: (2e) if w0 > w0 goto pc+2
verifier bug: REG INVARIANTS VIOLATION (true_reg1): range bounds violation u64=[0xfffe, 0xffff] s64=[0xfffe, 0xffff] u32=[0xffff, 0xfffe] s32=[0xfffe, 0xffff] var_off=(0xfffe, 0x1)
3: R0=scalar(smin=umin=smin32=umin32=0xfffe,smax=umax=smax32=umax32=0xffff,var_off=(0xfffe; 0x1))
4: (b7) r0 = 0                        ; R0=0
5: (95) exit
from 3 to 6: R0=scalar(var_off=(0xfffe; 0x1)) R1=ctx() R6=ctx() R10=fp0
6: R0=scalar(var_off=(0xfffe; 0x1)) R1=ctx() R6=ctx() R10=fp0
6: (b7) r0 = 0                        ; R0=0
7: (95) exit
"""
        },
        {
            "tnum multiplication by union",
            """
r6 = r1
r1 = *(u8 *)(r6 +0)
r1 &= 0x9a
r1 |= 0x61
r2 = *(u8 *)(r6 +0)
r2 &= 0x40
r2 |= 0x8f
r1 *= r2
r3 = *(u8 *)(r6 +0)
r3 &= 0xc3
r3 |= 0xc
r4 = *(u8 *)(r6 +0)
r4 &= 1
r4 |= 0x20
r3 *= r4
r0 = 0
exit
""",
            """
0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (71) r1 = *(u8 *)(r6 +0)           ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
2: (57) r1 &= 154                     ; R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=154,var_off=(0x0; 0x9a))
3: (47) r1 |= 97                      ; R1=scalar(smin=umin=smin32=umin32=97,smax=umax=smax32=umax32=251,var_off=(0x61; 0x9a))
4: (71) r2 = *(u8 *)(r6 +0)           ; R2=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
5: (57) r2 &= 64                      ; R2=scalar(smin=smin32=0,smax=umax=smax32=umax32=64,var_off=(0x0; 0x40))
6: (47) r2 |= 143                     ; R2=scalar(smin=umin=smin32=umin32=143,smax=umax=smax32=umax32=207,var_off=(0x8f; 0x40))
7: (2f) r1 *= r2                      ; R1=scalar(smin=umin=smin32=umin32=13871,smax=umax=smax32=umax32=0xcaf5,var_off=(0x5; 0xfffa)) R2=scalar(smin=umin=smin32=umin32=143,smax=umax=smax32=umax32=207,var_off=(0x8f; 0x40))
8: (71) r3 = *(u8 *)(r6 +0)           ; R3=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
9: (57) r3 &= 195                     ; R3=scalar(smin=smin32=0,smax=umax=smax32=umax32=195,var_off=(0x0; 0xc3))
10: (47) r3 |= 12                     ; R3=scalar(smin=umin=smin32=umin32=12,smax=umax=smax32=umax32=207,var_off=(0xc; 0xc3))
11: (71) r4 = *(u8 *)(r6 +0)          ; R4=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff)) R6=ctx()
12: (57) r4 &= 1                      ; R4=scalar(smin=smin32=0,smax=umax=smax32=umax32=1,var_off=(0x0; 0x1))
13: (47) r4 |= 32                     ; R4=scalar(smin=umin=smin32=umin32=32,smax=umax=smax32=umax32=33,var_off=(0x20; 0x1))
14: (2f) r3 *= r4                     ; R3=scalar(smin=umin=smin32=umin32=384,smax=umax=smax32=umax32=6831,var_off=(0x0; 0x1fef)) R4=scalar(smin=umin=smin32=umin32=32,smax=umax=smax32=umax32=33,var_off=(0x20; 0x1))
15: (b7) r0 = 0                       ; R0=0
16: (95) exit
"""
        },
    };
}
