// ksync FILE THREADS SYNCS_PER_WRITE KIND(fsync|fdatasync) SECONDS : each thread: pwrite 4k random, then SYNCS syncs
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <pthread.h>
#include <time.h>
#include <sys/stat.h>
static const char *path; static int nsync, kind; static double secs; static off_t blocks;
static volatile int stop; static long total[64]; static double synct[64]; static long nsyncs[64];
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static void *run(void *a){ long id=(long)a; int fd=open(path,O_RDWR); char buf[4096]; memset(buf,id+1,4096);
  unsigned s=id*7919+1; while(!stop){ off_t b=rand_r(&s)%blocks; if(pwrite(fd,buf,4096,b*4096)!=4096)abort();
    for(int i=0;i<nsync;i++){double t0=now(); if(kind?fdatasync(fd):fsync(fd))abort(); synct[id]+=now()-t0; nsyncs[id]++;}
    total[id]++; } close(fd); return 0; }
int main(int c,char**v){ path=v[1]; int n=atoi(v[2]); nsync=atoi(v[3]); kind=!strcmp(v[4],"fdatasync"); secs=atof(v[5]);
  struct stat st; stat(path,&st); blocks=st.st_size/4096; pthread_t t[64];
  for(long i=0;i<n;i++)pthread_create(&t[i],0,run,(void*)i); double t0=now(); usleep(secs*1e6); stop=1;
  for(int i=0;i<n;i++)pthread_join(t[i],0); double el=now()-t0; long tot=0,ns=0; double st2=0;
  for(int i=0;i<n;i++){tot+=total[i];ns+=nsyncs[i];st2+=synct[i];}
  printf("threads=%d syncs/write=%d %s writes/s=%.0f mean_sync_us=%.0f\n",n,nsync,v[4],tot/el,ns?st2/ns*1e6:0); return 0;}
