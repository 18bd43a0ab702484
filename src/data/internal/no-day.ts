/**
 * @internal "No day": the sentinel for an absent epoch day in day variables and `Int32Array`s.
 * Every epoch day is a real day, negative ones included (1969-12-31 is -1, 0000-01-01 is -719528),
 * so neither -1 nor 0 can mean "none". Int32 min lies far outside the data range (years
 * 0000-9999), so it is never a data day; test presence with `!== NO_DAY` (or `> NO_DAY`), and a
 * "latest day" running maximum may start from it.
 */
export const NO_DAY = -0x80000000;
