/* The cost of the gradient allreduce alone: MPI_Allreduce (sum, in place) of the FNO's gradient
 * (2,368,001 parameters and the two values PdeOps adds, float32) between the ranks, 20 times after
 * a warm-up, each after a barrier; rank 0 prints the fastest and the mean.
 *   mpicc -O2 bench/distributed/allreduce.c -o /tmp/allreduce
 *   OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun -q -np 2 --bind-to core /tmp/allreduce */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

enum { Values = 2368003, Repeats = 20 };

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    float *values = malloc(sizeof(float) * Values);
    for (int i = 0; i < Values; i++) values[i] = 1.0f;
    MPI_Allreduce(MPI_IN_PLACE, values, Values, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    double fastest = 1e300, total = 0;
    for (int k = 0; k < Repeats; k++)
    {
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        MPI_Allreduce(MPI_IN_PLACE, values, Values, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        double seconds = MPI_Wtime() - start;
        total += seconds;
        if (seconds < fastest) fastest = seconds;
    }
    if (rank == 0) printf("allreduce of %d floats: fastest %.2f ms, mean %.2f ms over %d\n", Values, fastest * 1e3, total / Repeats * 1e3, Repeats);
    free(values);
    MPI_Finalize();
    return 0;
}
