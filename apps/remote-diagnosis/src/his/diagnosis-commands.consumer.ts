import { Injectable, OnModuleInit } from '@nestjs/common';
import { Role } from '@countylink/auth';
import { OrderRead, ReadPriority as PriorityProto, Sex } from '@countylink/contracts';
import { commandDto, HisCommandGate, staffPrincipal, unsetIfEmpty } from '@countylink/his-gateway';
import { AppMessaging } from '@countylink/messaging';
import { OrderReadDto } from '../reads/dtos/order-read.dto';
import { ReadService } from '../reads/read.service';
import { ReadPriority } from '../reads/read-state-machine';

const PRIORITY: Partial<Record<PriorityProto, ReadPriority>> = {
  [PriorityProto.ROUTINE]: 'routine',
  [PriorityProto.URGENT]: 'urgent',
  [PriorityProto.EMERGENCY]: 'emergency',
};
const SEX: Partial<Record<Sex, OrderReadDto['patient']['sex']>> = {
  [Sex.MALE]: 'M',
  [Sex.FEMALE]: 'F',
  [Sex.OTHER]: 'O',
};

/** The same checks as POST /api/reads: an HIS cannot order what a doctor could not. */
function toOrderDto(command: OrderRead): OrderReadDto {
  return commandDto(OrderReadDto, {
    patient: command.patient && {
      patientId: command.patient.patientId,
      name: command.patient.name,
      sex: SEX[command.patient.sex],
      birthDate: unsetIfEmpty(command.patient.birthDate),
    },
    modality: command.modality,
    priority: PRIORITY[command.priority] ?? 'unspecified',
    clinicalQuestion: unsetIfEmpty(command.clinicalQuestion),
    accessionNumber: unsetIfEmpty(command.accessionNumber),
    readingDepartmentId: unsetIfEmpty(command.readingDepartmentId),
  });
}

/** Read orders that township HIS systems send, each on its own countylink.his-commands.v1.<institution> (基层检查 + 上级诊断). */
@Injectable()
export class DiagnosisCommandsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: AppMessaging,
    private readonly reads: ReadService,
    private readonly gate: HisCommandGate,
  ) {}

  onModuleInit(): void {
    this.messaging.addConsumer(
      this.gate.consumer('remote-diagnosis.his-commands', {
        'countylink.his-commands.order-read.v1': (event, manager) =>
          this.gate.run(manager, event, async (his, m) => {
            const c = event.payload;
            const orderedBy = staffPrincipal(his, c.practitionerId, Role.TownshipDoctor, unsetIfEmpty(c.departmentId));
            const read = await this.reads.orderWithin(m, orderedBy, toOrderDto(c));
            return { read_id: read.id, accession_number: read.accessionNumber };
          }),
      }),
    );
  }
}
