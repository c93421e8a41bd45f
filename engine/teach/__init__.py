"""The notes' lessons on numbers: numpy convolution/pooling reference, im2col, worked examples."""
