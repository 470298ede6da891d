#include "repro.h"
/* can_loop (may_goto) loop with an imprecise counter: the kernel prunes the second visit of the
 * may_goto instruction (states_equal with RANGE_WITHIN, may_goto_depth ignored) */
#define can_loop					\
	({ __label__ l_break, l_continue;		\
	int ret = 1;					\
	asm volatile goto("may_goto %l[l_break]"	\
		      :::: l_break);			\
	goto l_continue;				\
	l_break: ret = 0;				\
	l_continue:;					\
	ret;						\
	})
unsigned long zero = 0;
SEC("socket")
int loop(void *ctx)
{
	unsigned long i;
	unsigned int sum = 0;

	for (i = zero; i < 1000 && can_loop; i++)
		sum += i;
	return sum;
}
