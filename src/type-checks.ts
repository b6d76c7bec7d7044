/**
 * Compile-time checks between a list of codes and the union that gives each code its data. `const x: Same<A, B> =
 * true` fails the typecheck when A and B are not the same set, so a new code cannot be added to one and forgotten in
 * the other.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
