namespace BpfSharp.Runtime;

/// <summary>
/// A helper's code: reads its arguments (pointers go through <see cref="BpfExecution.Memory"/>, checked), does its
/// work and returns r0. A program error it detects is a <see cref="BpfRuntimeException"/>.
/// </summary>
public delegate ulong HelperImplementation(BpfExecution execution, in HelperArguments args);
