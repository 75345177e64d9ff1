bogus=1 x=y
