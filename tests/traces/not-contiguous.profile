# the ISP needs one range
device=isp.* contiguous=yes
