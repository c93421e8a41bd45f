"""The notes' lessons on numbers: worked examples, size checks, step traces, im2col and the numpy reference."""
