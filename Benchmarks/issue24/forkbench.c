#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(int argc,char**argv){
  size_t mb=atoi(argv[1]); size_t touch=argc>2?atoi(argv[2]):0;
  char*p=malloc(mb<<20); memset(p,1,mb<<20);
  int n=500; double a=now();
  for(int i=0;i<n;i++){pid_t c=fork(); if(!c){ for(size_t k=0;k<touch;k++) p[k*4096]=2; _exit(0);} int s; waitpid(c,&s,0);}
  printf("%zu MB, touch %zu pages: %.3f ms per fork+exit+wait\n",mb,touch,(now()-a)/n*1000);
}
