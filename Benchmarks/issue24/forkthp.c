#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(int argc,char**argv){
  size_t mb=atoi(argv[1]); size_t touch=atoi(argv[2]); int thp=atoi(argv[3]);
  size_t len=mb<<20; char*p=mmap(NULL,len+(2<<20),PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0);
  p=(char*)(((unsigned long)p+(2<<20)-1)&~((2UL<<20)-1));
  if(thp) madvise(p,len,MADV_HUGEPAGE);
  memset(p,1,len);
  FILE*f=fopen("/proc/self/smaps_rollup","r"); char line[256]; while(fgets(line,256,f)) if(strstr(line,"AnonHugePages")) fputs(line,stdout); fclose(f);
  int n=300; double a=now();
  for(int i=0;i<n;i++){pid_t c=fork(); if(!c){ for(size_t k=0;k<touch;k++) p[(k*7919*4096)%len]=2; _exit(0);} int s; waitpid(c,&s,0);}
  double t1=(now()-a)/n*1000;
  // parent writes after fork (its own COW-reuse faults)
  printf("%zu MB thp=%d touch %zu pages: %.3f ms per fork+child+exit+wait\n",mb,thp,touch,t1);
}
