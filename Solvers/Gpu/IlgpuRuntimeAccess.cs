using System.Runtime.CompilerServices;

// ILGPU's CPU accelerator emits each kernel's launcher into a dynamic assembly named
// "ILGPURuntime"; it needs access to the internal kernel argument and arithmetic types of
// Solvers/Gpu (DeviceStencil<T>, DoubleArithmetic, SingleArithmetic).
[assembly: InternalsVisibleTo("ILGPURuntime")]
