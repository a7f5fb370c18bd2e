"""Pure sign-in logic: the identity a source vouches for, the group → role map, safe `next` paths."""
