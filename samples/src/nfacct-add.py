#!/usr/bin/env python3
"""Create nfacct objects (like `nfacct add NAME`) via raw nfnetlink; run inside the netns."""
import socket, struct, sys
NETLINK_NETFILTER = 12
NFNL_SUBSYS_ACCT, NFNL_MSG_ACCT_NEW, NFACCT_NAME = 7, 0, 1
NLM_F_REQUEST, NLM_F_ACK, NLM_F_CREATE = 0x1, 0x4, 0x400
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
s.bind((0, 0))
for seq, name in enumerate(sys.argv[1:], 1):
    data = name.encode() + b"\0"
    alen = 4 + len(data)
    attr = struct.pack("=HH", alen, NFACCT_NAME) + data + b"\0" * ((4 - alen % 4) % 4)
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, 0) + attr
    hdr = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_ACCT << 8) | NFNL_MSG_ACCT_NEW,
                      NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, seq, 0)
    s.send(hdr + body)
    resp = s.recv(4096)
    err = struct.unpack("=i", resp[16:20])[0]
    if err != 0:
        sys.exit(f"nfacct add {name}: errno {-err}")
