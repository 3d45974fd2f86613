// An allocator for libnghttp2 (nghttp2_mem): recycled blocks in six size classes, one pool per
// event loop, shared by the loop's sessions.
//
// Why: nghttp2 allocates about five blocks per request (stream, outbound items, HPACK header
// buffers) and frees them when the stream closes. With -m16 multiplexing those come in bursts
// that overflow glibc's per-thread cache: malloc + free took ~12 % of the CPU of an h2c health
// request (perf; 9 allocations per request, 5 of them nghttp2's). Here a freed block goes on its
// class's free list and the next allocation of that class takes it back, still in cache. (A pool
// per session was tried first: its blocks went cold while the loop served the other connections,
// and the free-list pop cost as much as malloc had.)
//
// Threading: a pool belongs to the thread that bound it (`sy_block_pool_bind`, called by each
// session created on the loop). Calls from any other thread (a session destroyed off its loop,
// when the last reference to its connection's driver dropped there) bypass the lists and use
// malloc and free directly; every block carries its class, so either side can free it.
// Memory: at most SY_POOL_KEEP blocks per class stay cached; larger requests go to malloc.
#ifndef SY_BLOCK_POOL_H
#define SY_BLOCK_POOL_H

#include <nghttp2/nghttp2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SY_POOL_CLASSES 6
#define SY_POOL_KEEP 1024
#define SY_POOL_HEADER 16  /* keeps 16-byte alignment; holds the block's class */
#define SY_POOL_LARGE 0xFF

typedef struct sy_block_pool {
    nghttp2_mem mem;
    void *free_list[SY_POOL_CLASSES];
    unsigned cached[SY_POOL_CLASSES];
    pthread_t owner;
    int bound;
} sy_block_pool;

/* Makes the calling thread the pool's owner, if it has none yet. */
static inline void sy_block_pool_bind(sy_block_pool *pool) {
    if (!pool->bound) {
        pool->owner = pthread_self();
        pool->bound = 1;
    }
}

/* pthread_t is an integer on glibc (the only libc this builds on): a compare, not a call to
   pthread_equal, in a function that runs five times per HTTP/2 request. */
static inline int sy_pool_owned_here(const sy_block_pool *pool) {
    return pool->bound && pool->owner == pthread_self();
}

/* Usable bytes of class c: 48, 112, 240, 496, 1008, 2032 (blocks of 64 … 2048 with the header). */
static inline size_t sy_pool_class_bytes(unsigned c) { return ((size_t)64 << c) - SY_POOL_HEADER; }

/* The smallest class whose blocks hold `size` bytes: ceil(log2(size + header)) - 6, from one
   count-leading-zeros instead of a loop over the classes. */
static inline unsigned sy_pool_class_of(size_t size) {
    if (size > sy_pool_class_bytes(SY_POOL_CLASSES - 1)) return SY_POOL_LARGE;
    size_t block = size + SY_POOL_HEADER;
    if (block <= 64) return 0;
    return (unsigned)(64 - __builtin_clzll((unsigned long long)(block - 1))) - 6;
}

static inline void *sy_pool_malloc(size_t size, void *user) {
    sy_block_pool *pool = (sy_block_pool *)user;
    unsigned c = sy_pool_class_of(size);
    unsigned char *block;
    if (c != SY_POOL_LARGE && pool->free_list[c] && sy_pool_owned_here(pool)) {
        block = (unsigned char *)pool->free_list[c];
        pool->free_list[c] = *(void **)(block + SY_POOL_HEADER);
        pool->cached[c]--;
    } else {
        if (size > SIZE_MAX - SY_POOL_HEADER) return NULL;
        block = (unsigned char *)malloc(SY_POOL_HEADER + (c == SY_POOL_LARGE ? size : sy_pool_class_bytes(c)));
        if (!block) return NULL;
        block[0] = (unsigned char)c;
    }
    return block + SY_POOL_HEADER;
}

static inline void sy_pool_free(void *ptr, void *user) {
    if (!ptr) return;
    sy_block_pool *pool = (sy_block_pool *)user;
    unsigned char *block = (unsigned char *)ptr - SY_POOL_HEADER;
    unsigned c = block[0];
    if (c != SY_POOL_LARGE && pool->cached[c] < SY_POOL_KEEP && sy_pool_owned_here(pool)) {
        *(void **)ptr = pool->free_list[c];
        pool->free_list[c] = block;
        pool->cached[c]++;
    } else {
        free(block);
    }
}

static inline void *sy_pool_calloc(size_t count, size_t size, void *user) {
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    void *p = sy_pool_malloc(count * size, user);
    if (p) memset(p, 0, count * size);
    return p;
}

static inline void *sy_pool_realloc(void *ptr, size_t size, void *user) {
    if (!ptr) return sy_pool_malloc(size, user);
    if (size == 0) {
        sy_pool_free(ptr, user);
        return NULL;
    }
    unsigned char *block = (unsigned char *)ptr - SY_POOL_HEADER;
    unsigned c = block[0];
    if (c == SY_POOL_LARGE) {
        unsigned char *grown = (unsigned char *)realloc(block, SY_POOL_HEADER + size);
        return grown ? grown + SY_POOL_HEADER : NULL;
    }
    size_t usable = sy_pool_class_bytes(c);
    if (size <= usable) return ptr;
    void *moved = sy_pool_malloc(size, user);
    if (!moved) return NULL;
    memcpy(moved, ptr, usable);
    sy_pool_free(ptr, user);
    return moved;
}

/* A pool whose `mem` is ready to pass to nghttp2_session_server_new3. NULL when out of memory. */
static inline sy_block_pool *sy_block_pool_new(void) {
    sy_block_pool *pool = (sy_block_pool *)calloc(1, sizeof(sy_block_pool));
    if (!pool) return NULL;
    pool->mem.mem_user_data = pool;
    pool->mem.malloc = sy_pool_malloc;
    pool->mem.free = sy_pool_free;
    pool->mem.calloc = sy_pool_calloc;
    pool->mem.realloc = sy_pool_realloc;
    return pool;
}

/* Frees the cached blocks and the pool. Call once no session uses it any more. */
static inline void sy_block_pool_delete(sy_block_pool *pool) {
    if (!pool) return;
    for (unsigned c = 0; c < SY_POOL_CLASSES; c++) {
        void *block = pool->free_list[c];
        while (block) {
            void *next = *(void **)((unsigned char *)block + SY_POOL_HEADER);
            free(block);
            block = next;
        }
    }
    free(pool);
}

#endif
