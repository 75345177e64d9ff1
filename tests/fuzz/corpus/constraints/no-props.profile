driver=x
