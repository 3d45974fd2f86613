// Linux headers that Swift's Glibc module does not expose (it is built without _GNU_SOURCE):
// epoll, eventfd, timerfd, signalfd, accept4. Declarations only; no logic lives here.
#ifndef CSWITCHYARD_LINUX_SHIM_H
#define CSWITCHYARD_LINUX_SHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sched.h>

extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
/* SCHED_IDLE (Linux ABI value 5) is only declared under _GNU_SOURCE. */
#define CSWITCHYARD_SCHED_IDLE 5
#endif
